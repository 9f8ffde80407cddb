/* commands.h - entry points of zkinit's subcommands (roles and tools); main.c dispatches to them.
 * Each returns zkinit's exit code. argv[0] is the subcommand's name. */
#ifndef ZKINIT_COMMANDS_H
#define ZKINIT_COMMANDS_H

/* Roles (SPEC.md "Roles"): prepare, then supervise like the generic init. */
int cmd_zookeeper(int argc, char **argv);
int cmd_mesos_master(int argc, char **argv);
int cmd_mesos_agent(int argc, char **argv);
int cmd_marathon(int argc, char **argv);

/* Tools (SPEC.md "Tools"). */
int cmd_id(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_health(int argc, char **argv);
int cmd_members(int argc, char **argv);
int cmd_recover(int argc, char **argv);
int cmd_mesos_leader(int argc, char **argv);

#endif
