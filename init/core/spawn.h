/* spawn.h - start COMMAND and the hook processes as children in their own process groups, with
 * default signal state, another identity when asked, only the file descriptors meant for them
 * (fds.h), and for COMMAND the terminal's foreground when zkinit has it. */
#ifndef ZKINIT_SPAWN_H
#define ZKINIT_SPAWN_H

#include "core/user.h"

#include <sys/types.h>

/* Returns the child's pid, or -1 with *EXIT_CODE = 127 (not found) or 126 (not executable, or
 * the identity switch failed) after logging one line; the failed child is already reaped. */
pid_t spawn_command(char **argv, const struct user_ids *ids, int *exit_code);

/* A hook process: a fork of zkinit that runs RUN(ARG) and exits with its value. */
struct spawn_hook_args {
    const char *name; /* for the log */
    int (*run)(void *arg);
    void *arg;
    const struct user_ids *ids; /* the identity COMMAND runs as, or NULL */
    pid_t command;              /* COMMAND's pid: ZKINIT_CHILD_PID */
    int close_fd;               /* zkinit's own descriptor the hook must not hold, or -1 */
};

/* Forks the hook process: its own process group, the identity of COMMAND (a failed switch exits
 * 126 after logging), only fds 0-2 across an exec, default signals, ZKINIT_CHILD_PID. Returns
 * its pid, or -1 with errno. */
pid_t spawn_hook(const struct spawn_hook_args *a);

/* In a freshly forked child: every signal's disposition back to default, mask empty. */
void spawn_reset_signals(void);

#endif
