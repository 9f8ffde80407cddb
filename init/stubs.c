/* stubs.c - weak placeholders for subcommands whose modules are not built yet; a module's
 * own definition replaces its placeholder at link time. */
#include "commands.h"
#include "exitcodes.h"
#include "log.h"

static int not_built(char **argv)
{
    log_error("this subcommand is not available in this build", "command=%s", argv[0]);
    return EXIT_INTERNAL;
}

#define STUB(fn)                                                                                   \
    __attribute__((weak)) int fn(int argc, char **argv)                                            \
    {                                                                                              \
        (void)argc;                                                                                \
        return not_built(argv);                                                                    \
    }

STUB(cmd_zookeeper)
STUB(cmd_mesos_master)
STUB(cmd_mesos_agent)
STUB(cmd_marathon)
STUB(cmd_id)
STUB(cmd_render)
STUB(cmd_members)
STUB(cmd_mesos_leader)

#include "health.h"

__attribute__((weak)) int health_zookeeper(void)
{
    return not_built((char *[]){"health zookeeper", 0});
}

__attribute__((weak)) int health_http_service(const char *role)
{
    (void)role;
    return not_built((char *[]){"health", 0});
}
