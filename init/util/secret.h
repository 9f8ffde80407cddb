/* secret.h - secret variables: NAME or NAME_FILE (file content, one trailing newline removed).
 * Values are never logged, and never reach a child's environment. */
#ifndef ZKINIT_SECRET_H
#define ZKINIT_SECRET_H

#include <stddef.h>

/* Returns 1 with the value in BUF, 0 when neither NAME nor NAME_FILE is set, or -1 after logging
 * (unreadable file, value too long, both set): the caller exits 64. */
int secret_get(const char *name, char *buf, size_t len);

/* Removes every NAME and NAME_FILE that secret_get() was asked for from the environment, so that
 * COMMAND and the hooks never inherit a secret (supervise() calls it before the first fork). */
void secret_scrub_env(void);

#endif
