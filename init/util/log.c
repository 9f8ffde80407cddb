/* log.c - logfmt lines on stderr, every value escaped (logfmt.c). */
#include "util/log.h"

#include "util/logfmt.h"
#include "util/redact.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = {"debug", "info", "warn", "error"};
static enum log_level min_level = LOG_INFO;
static const char *log_role = "init";

void log_set_role(const char *role)
{
    log_role = role;
}

int log_setup(const char *role)
{
    log_set_role(role);
    const char *v = getenv("ZKINIT_LOG_LEVEL");
    if (!v || !*v)
        return 0;
    for (int i = LOG_DEBUG; i <= LOG_ERROR; i++) {
        if (strcmp(v, level_names[i]) == 0) {
            min_level = (enum log_level)i;
            return 0;
        }
    }
    log_error("bad ZKINIT_LOG_LEVEL", "value=\"%s\" hint=\"use debug, info, warn or error\"", v);
    return -1;
}

int log_enabled(enum log_level level)
{
    return level >= min_level;
}

void log_line(enum log_level level, const char *msg, const char *kv, ...)
{
    if (!log_enabled(level))
        return;
    int saved = errno;
    char buf[2048], clean[512];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t cap = sizeof(buf) - 1; /* room for the newline */
    size_t pos = strftime(buf, cap, "ts=%Y-%m-%dT%H:%M:%S", &tm);
    pos += (size_t)snprintf(buf + pos, cap - pos, ".%03ldZ level=%s role=%s msg=\"",
                            ts.tv_nsec / 1000000L, level_names[level], log_role);
    size_t n = redact_urls(msg, strlen(msg), clean, sizeof clean);
    pos = logfmt_put_quoted(buf, pos, cap - 1, clean, n);
    buf[pos++] = '"';
    if (kv && *kv && pos + 1 < cap) {
        buf[pos++] = ' ';
        va_list ap;
        va_start(ap, kv);
        pos += logfmt_vformat(buf + pos, cap - pos, kv, ap);
        va_end(ap);
    }
    buf[pos++] = '\n';
    ssize_t w = write(STDERR_FILENO, buf, pos);
    (void)w;
    errno = saved;
}
