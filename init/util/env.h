/* env.h - reads settings from the environment with the strict parsers; a bad value is logged. */
#ifndef ZKINIT_ENV_H
#define ZKINIT_ENV_H

/* Reads variable NAME; unset or empty gives DEF. Returns 0, or -1 after logging a one-line error
 * that names the variable and what it accepts (the caller exits 64). */
int env_long(const char *name, long min, long max, long def, long *out);
int env_seconds_ms(const char *name, long def_ms, long *out);
int env_bool(const char *name, int def, int *out);

#endif
