/* env.c - reads settings from the environment with the strict parsers; a bad value is logged. */
#include "util/env.h"

#include "util/log.h"
#include "util/parse.h"

#include <stdlib.h>

int env_long(const char *name, long min, long max, long def, long *out)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        *out = def;
        return 0;
    }
    if (parse_long(v, min, max, out) == 0)
        return 0;
    log_error("bad environment value",
              "variable=%s value=\"%s\" hint=\"use a whole number from %ld to %ld\"", name, v, min,
              max);
    return -1;
}

int env_seconds_ms(const char *name, long def_ms, long *out)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        *out = def_ms;
        return 0;
    }
    if (parse_seconds_ms(v, out) == 0)
        return 0;
    log_error("bad environment value",
              "variable=%s value=\"%s\" hint=\"use seconds, e.g. 10 or 2.5\"", name, v);
    return -1;
}

int env_bool(const char *name, int def, int *out)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        *out = def;
        return 0;
    }
    int b = parse_bool(v);
    if (b >= 0) {
        *out = b;
        return 0;
    }
    log_error("bad environment value", "variable=%s value=\"%s\" hint=\"use on or off\"", name, v);
    return -1;
}
