/* main.c - zkinit's entry point: dispatches to a role or tool, else runs the generic init. */
#include "commands.h"
#include "core/opts.h"
#include "core/supervise.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/stopwait.h"

#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *role; /* the log's role= for it */
    int tool;         /* a short-lived tool: signals keep their default actions (Ctrl-C works) */
};

static const struct command commands[] = {
    {"zookeeper", cmd_zookeeper, "zookeeper", 0},
    {"mesos-master", cmd_mesos_master, "mesos-master", 0},
    {"mesos-agent", cmd_mesos_agent, "mesos-agent", 0},
    {"marathon", cmd_marathon, "marathon", 0},
    {"id", cmd_id, "id", 1},
    {"render", cmd_render, "render", 1},
    {"health", cmd_health, "health", 1},
    {"members", cmd_members, "members", 1},
    {"recover", cmd_recover, "recover", 1},
    {"mesos-leader", cmd_mesos_leader, "mesos-leader", 1},
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
    /* First of all: a SIGTERM that arrives while a role still prepares must stay pending. */
    if (stopwait_block_all() != 0)
        return EXIT_INTERNAL;
    if (log_setup("init") != 0)
        return EXIT_USAGE;
    const struct command *cmd = argc > 1 ? find_command(argv[1]) : NULL;
    if (cmd) {
        log_set_role(cmd->role);
        if (cmd->tool)
            stopwait_unblock_all();
        return cmd->run(argc - 1, argv + 1);
    }
    struct supervise_cfg cfg;
    int rc = opts_parse_generic(argc, argv, &cfg);
    if (rc >= 0)
        return rc;
    return supervise(&cfg);
}
