/* main.c - zkinit's entry point: dispatches to a role or tool, else runs the generic init. */
#include "commands.h"
#include "exitcodes.h"
#include "log.h"
#include "opts.h"
#include "supervise.h"

#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *role; /* the log's role= for it */
};

static const struct command commands[] = {
    {"zookeeper", cmd_zookeeper, "zookeeper"},
    {"mesos-master", cmd_mesos_master, "mesos-master"},
    {"mesos-agent", cmd_mesos_agent, "mesos-agent"},
    {"marathon", cmd_marathon, "marathon"},
    {"id", cmd_id, "id"},
    {"render", cmd_render, "render"},
    {"health", cmd_health, "health"},
    {"members", cmd_members, "members"},
    {"mesos-leader", cmd_mesos_leader, "mesos-leader"},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (log_setup("init") != 0)
        return EXIT_USAGE;
    const struct command *cmd = argc > 1 ? find_command(argv[1]) : NULL;
    if (cmd) {
        log_set_role(cmd->role);
        return cmd->run(argc - 1, argv + 1);
    }
    struct supervise_cfg cfg;
    int rc = opts_parse_generic(argc, argv, &cfg);
    if (rc >= 0)
        return rc;
    return supervise(&cfg);
}
