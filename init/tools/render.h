/* render.h - template rendering: ${VAR}, ${VAR:-default}, ${VAR:?message}, $$ (pure). */
#ifndef ZKINIT_RENDER_H
#define ZKINIT_RENDER_H

#include <stddef.h>

/* Looks a variable up; returns NULL when undefined. */
typedef const char *(*render_lookup_fn)(const char *name, void *ctx);

/* Renders TEXT (LEN bytes); ORIGIN names the file in errors ("file:line: ..."). On success returns
 * 0 and a malloc'd NUL-terminated *OUT (*OUTLEN bytes). On error returns -1 with a one-line
 * message in ERR and *OUT NULL. Values holding a newline are refused. */
int render_template(const char *text, size_t len, const char *origin, render_lookup_fn lookup,
                    void *ctx, char **out, size_t *outlen, char *err, size_t errlen);

#endif
