/* logfmt.h - the values of a logfmt line: a printf-style formatter that escapes every converted
 * argument, so that nothing read from the environment, a file or the network can forge a key or
 * start a log line, and that masks the credentials of URLs (redact.h). Pure functions. */
#ifndef ZKINIT_LOGFMT_H
#define ZKINIT_LOGFMT_H

#include <stdarg.h>
#include <stddef.h>

/* Appends the first N bytes of S to BUF at POS as the inside of a quoted value: \" \\ \n \r \t,
 * \xHH for other control bytes. CAP is BUF's size; an escape is never split, and POS stays below
 * CAP. Returns the new position. */
size_t logfmt_put_quoted(char *buf, size_t pos, size_t cap, const char *s, size_t n);

/* Like vsnprintf into BUF (CAP bytes, NUL-terminated, truncated to fit), except that each
 * converted argument is a logfmt value: inside quotes of FMT (key="%s") it is escaped as above;
 * right after a key (key=%s) a value holding a blank, '=', '"' or a control byte is quoted and
 * escaped; elsewhere (key=%d%s, a fragment of text the caller composed) control bytes are
 * escaped. %n is not supported. Returns the length written. */
size_t logfmt_vformat(char *buf, size_t cap, const char *fmt, va_list ap);

size_t logfmt_format(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
