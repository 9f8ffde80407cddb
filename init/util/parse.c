/* parse.c - strict parsers for numbers, durations and on/off values. */
#include "util/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s || (!isdigit((unsigned char)*s) && *s != '-'))
        return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || (*s == '-' && !isdigit((unsigned char)s[1])))
        return -1;
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int parse_seconds_ms(const char *s, long *ms)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    long whole = 0, frac = 0;
    const char *p = s;
    for (; isdigit((unsigned char)*p); p++) {
        whole = whole * 10 + (*p - '0');
        if (whole > 86400)
            return -1;
    }
    if (*p == '.') {
        p++;
        int digits = 0;
        for (; isdigit((unsigned char)*p); p++, digits++) {
            if (digits == 3)
                return -1;
            frac = frac * 10 + (*p - '0');
        }
        if (digits == 0)
            return -1;
        for (; digits < 3; digits++)
            frac *= 10;
    }
    if (*p || whole * 1000 + frac > 86400L * 1000)
        return -1;
    *ms = whole * 1000 + frac;
    return 0;
}

int parse_duration_ms(const char *s, long *ms)
{
    static const struct {
        char unit;
        long factor;
    } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
    char num[32];
    size_t n = s ? strlen(s) : 0;
    long factor = 1, v;
    if (n == 0 || n >= sizeof num)
        return -1;
    memcpy(num, s, n + 1);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (num[n - 1] == units[i].unit) {
            factor = units[i].factor;
            num[--n] = '\0';
            break;
        }
    }
    if (parse_seconds_ms(num, &v) != 0 || v > 30L * 86400 * 1000 / factor)
        return -1;
    *ms = v * factor;
    return 0;
}

int parse_bool(const char *s)
{
    static const char *const yes[] = {"1", "on", "true", "yes"};
    static const char *const no[] = {"0", "off", "false", "no"};
    if (!s)
        return -1;
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

int parse_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}
