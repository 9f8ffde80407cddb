/* cmd_health.c - `zkinit health [ROLE]`: dispatches to the role's check. */
#include "commands.h"
#include "mesos/mesos_health.h"
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

int cmd_health(int argc, char **argv)
{
    const char *role = argc > 1 ? argv[1] : "zookeeper";
    if (strcmp(role, "-h") == 0 || strcmp(role, "--help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
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
