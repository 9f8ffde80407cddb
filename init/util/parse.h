/* parse.h - strict parsers for numbers, durations and on/off values (pure: no I/O). */
#ifndef ZKINIT_PARSE_H
#define ZKINIT_PARSE_H

#include <stddef.h>

/* Whole decimal number in [MIN, MAX]: no blanks, no "+", no trailing junk. 0 or -1. */
int parse_long(const char *s, long min, long max, long *out);
/* Seconds as "10", "2.5" or "0.25" (at most 3 decimals, at most a day) -> milliseconds. 0 or -1. */
int parse_seconds_ms(const char *s, long *ms);
/* A duration: seconds with an optional unit s, m, h or d ("90", "90s", "1.5m", "2h"), at most 30
 * days -> milliseconds. 0 or -1. */
int parse_duration_ms(const char *s, long *ms);
/* on/off, true/false, yes/no, 1/0 (any case) -> 1/0; -1 if none. */
int parse_bool(const char *s);
/* A parser's refusal: the reason (printf-style) into ERR; returns -1. */
int parse_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
