/* spawn.h - start COMMAND as a child in its own process group, with default signal state, the
 * terminal's foreground when zkinit has it, and another identity when asked. */
#ifndef ZKINIT_SPAWN_H
#define ZKINIT_SPAWN_H

#include "user.h"

#include <sys/types.h>

/* Returns the child's pid, or -1 with *EXIT_CODE = 127 (not found) or 126 (not executable, or
 * the identity switch failed) after logging one line; the failed child is already reaped. */
pid_t spawn_command(char **argv, const struct user_ids *ids, int *exit_code);

/* In a freshly forked child: every signal's disposition back to default, mask empty. */
void spawn_reset_signals(void);

#endif
