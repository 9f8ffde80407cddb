/* log.h - one logfmt line per event on stderr, filtered by ZKINIT_LOG_LEVEL; preserves errno. */
#ifndef ZKINIT_LOG_H
#define ZKINIT_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the role= field and reads ZKINIT_LOG_LEVEL. Returns -1 (after logging why) on a bad level.
 */
int log_setup(const char *role);
void log_set_role(const char *role);
int log_enabled(enum log_level level);

/* Writes `ts=… level=… role=… msg="MSG" KV` with one write(2). KV is a printf format for
 * space-separated key=value pairs, or NULL. Every converted argument is escaped (logfmt.h): in
 * key="%s" quotes, backslashes and control bytes; a bare key=%s is quoted when its value needs
 * it. A newline in a value never starts a line, and URL credentials are masked (redact.h). */
void log_line(enum log_level level, const char *msg, const char *kv, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(...) log_line(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_line(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_line(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_line(LOG_ERROR, __VA_ARGS__)

#endif
