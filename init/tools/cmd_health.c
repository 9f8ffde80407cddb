/* cmd_health.c - `zkinit health [ROLE]`: dispatches to the role's check. */
#include "commands.h"
#include "mesos/mesos_health.h"
#include "util/args.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "zookeeper/zk_health.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage: zkinit health [zookeeper|mesos-master|mesos-agent|marathon]\n"
    "\n"
    "Exit 0 when the local service serves, else 1 (for HEALTHCHECK and probes).\n"
    "  zookeeper     ruok + srvr (leader/follower/observer/standalone), else the AdminServer\n"
    "  mesos-master  GET /health on 5050     mesos-agent  GET /health on 5051\n"
    "  marathon      GET /ping on 8080\n";

static const struct option long_opts[] = {{"help", no_argument, NULL, 'h'}, {0}};

int cmd_health(int argc, char **argv)
{
    const struct args a = {
        argc, argv, "h", long_opts, "zkinit health [zookeeper|mesos-master|mesos-agent|marathon]",
        0};
    args_begin(&a);
    for (int c; (c = args_next(&a)) != -1;) {
        if (c != 'h')
            return EXIT_USAGE; /* ARGS_BAD: logged */
        fputs(usage_text, stdout);
        return 0;
    }
    char **rest;
    int n = args_operands(&a, &rest);
    if (n > 1)
        return args_bad(&a, rest[1], "health checks one role");
    const char *role = n ? rest[0] : "zookeeper";
    if (strcmp(role, "zookeeper") == 0)
        return health_zookeeper();
    if (strcmp(role, "mesos-master") == 0 || strcmp(role, "mesos-agent") == 0 ||
        strcmp(role, "marathon") == 0)
        return health_http_service(role);
    log_error("unknown role for health",
              "role=\"%s\" hint=\"use zookeeper, mesos-master, mesos-agent or marathon\"", role);
    return EXIT_USAGE;
}
