/* supervise.h - the PID-1 core: run COMMAND, forward signals, reap zombies, escalate after a
 * grace period, clean up adopted orphans, and run a role's start and stop hooks around it. */
#ifndef ZKINIT_SUPERVISE_H
#define ZKINIT_SUPERVISE_H

#include "core/sigmap.h"
#include "core/user.h"

/* A hook runs in a forked process of zkinit (never in zkinit itself, so no client threads or
 * sockets of a hook live in the supervisor), as the user COMMAND runs as, and is SIGKILLed when
 * its deadline passes; the supervisor goes on at the deadline whether or not the kernel has
 * reaped it yet. The environment variable ZKINIT_CHILD_PID holds COMMAND's pid. */
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
    /* Start hooks run once COMMAND is started, the role's first; stop hooks on the first
     * SIGTERM/SIGINT/SIGQUIT before it is forwarded, the role's first. Each in turn, each
     * within its own deadline. start/stop are the user's (--on-start/--on-stop). */
    struct hook role_start, start;
    struct hook role_stop, stop;
    /* The role's periodic hook: once the start hooks are done, a round every TICK_EVERY_MS
     * (counted from the end of the last one), one at a time, each within its own deadline; a
     * stop signal kills a round that runs. NULL run = none. */
    struct hook role_tick;
    long tick_every_ms;
};

/* The supervisor's states, each with the one deadline that belongs to it (as s6-supervise's
 * state table): what happens at that deadline is in supervise.c's on_deadline(). */
enum sup_state {
    SUP_RUNNING,   /* COMMAND runs, a start hook may run. Deadline: that hook's; it is killed.
                      After the start hooks: the next periodic round, or the running round's */
    SUP_STOP_HOOK, /* a stop signal waits for a stop hook. Deadline: the hook's; it is killed and
                      the next one starts, or the signal is forwarded (-> GRACE) */
    SUP_GRACE,     /* the stop signal is forwarded. Deadline: the grace period; SIGKILL to
                      COMMAND's group and the subtree (-> KILLED) */
    SUP_DRAINING,  /* COMMAND exited; the rest of the subtree got SIGTERM. Deadline: the (rest of
                      the) grace period; SIGKILL to the subtree (-> KILLED) */
    SUP_KILLED,    /* SIGKILL sent. Deadline: 5 s more; processes that survive are left (-> DONE) */
    SUP_DONE,      /* nothing left to wait for, or an internal error */
};

/* What supervise() knows at the end, for the exit code. */
struct sup_outcome {
    int command_exited;
    int status;                        /* waitpid status of COMMAND, when it exited */
    int escalated;                     /* COMMAND's group got SIGKILL after the grace period */
    int internal_error;                /* the loop could not go on (e.g. poll failed) */
    const unsigned char *success_exit; /* 256 flags: codes reported as 0 */
};

/* zkinit's exit code: 70 after an internal error; 137 when COMMAND was killed after the grace
 * period and never reported its exit; 70 when it never exited otherwise; else its status
 * (128+N for signal N), 0 for a --success-exit code. Never 0 from a status that was not read. */
int supervise_exit_code(const struct sup_outcome *o);

/* Sets defaults: grace 10 s, identity signal map, no hooks, user hooks' timeout 5 s. */
void supervise_defaults(struct supervise_cfg *cfg);

/* Runs COMMAND to completion. Returns zkinit's exit code: COMMAND's status (128+N for signal N),
 * 137 after escalation, 126/127 when it cannot be executed, 64 for a bad --user, 70 on an
 * internal failure. Never returns before every process of zkinit's subtree is gone. */
int supervise(const struct supervise_cfg *cfg);

#endif
