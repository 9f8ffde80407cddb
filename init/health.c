/* health.c - `zkinit health [ROLE]`: dispatches to the role's check. */
#include "commands.h"
#include "exitcodes.h"
#include "health.h"
#include "log.h"

#include <string.h>

int cmd_health(int argc, char **argv)
{
    const char *role = argc > 1 ? argv[1] : "zookeeper";
    if (argc > 2) {
        log_error("too many arguments",
                  "hint=\"usage: zkinit health [zookeeper|mesos-master|mesos-agent|marathon]\"");
        return EXIT_USAGE;
    }
    if (strcmp(role, "zookeeper") == 0)
        return health_zookeeper();
    if (strcmp(role, "mesos-master") == 0 || strcmp(role, "mesos-agent") == 0 ||
        strcmp(role, "marathon") == 0)
        return health_http_service(role);
    log_error("unknown role for health",
              "role=\"%s\" hint=\"use zookeeper, mesos-master, mesos-agent or marathon\"", role);
    return EXIT_USAGE;
}
