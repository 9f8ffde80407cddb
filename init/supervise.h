/* supervise.h - the PID-1 core: run COMMAND, forward signals, reap zombies, escalate after a
 * grace period, clean up adopted orphans, and run a role's start and stop hooks around it. */
#ifndef ZKINIT_SUPERVISE_H
#define ZKINIT_SUPERVISE_H

#include "sigmap.h"
#include "user.h"

/* A hook runs in a forked process of zkinit (never in zkinit itself, so no client threads or
 * sockets of a hook live in the supervisor), and is SIGKILLed when its deadline passes.
 * The environment variable ZKINIT_CHILD_PID holds COMMAND's pid while a hook runs. */
struct hook {
    const char *name;      /* for the log, e.g. "leave" */
    int (*run)(void *arg); /* return value = the hook process's exit status; NULL = no hook */
    void *arg;
    long timeout_ms; /* deadline from the hook's start */
};

struct supervise_cfg {
    char **argv;         /* COMMAND and its arguments; argv[0] looked up in PATH */
    int pgroup;          /* forward signals to COMMAND's process group, not just COMMAND */
    long grace_ms;       /* after a stop signal, and for orphans after COMMAND exits */
    const char *user;    /* USER[:GROUP] to become before exec, or NULL */
    struct sigmap remap; /* --rewrite */
    unsigned char success_exit[256]; /* exit codes reported as 0 */
    int quit_is_not_stop; /* SIGQUIT only forwarded (a JVM prints a thread dump and runs on) */
    struct hook start;    /* runs once COMMAND is started */
    struct hook stop;     /* runs on the first SIGTERM/SIGINT/SIGQUIT, before it is forwarded */
};

/* Sets defaults: grace 10 s, identity signal map, no hooks. */
void supervise_defaults(struct supervise_cfg *cfg);

/* Runs COMMAND to completion. Returns zkinit's exit code: COMMAND's status (128+N for signal N),
 * 137 after escalation, 126/127 when it cannot be executed, 64 for a bad --user, 70 on an
 * internal failure. Never returns before every process of zkinit's subtree is gone. */
int supervise(const struct supervise_cfg *cfg);

#endif
