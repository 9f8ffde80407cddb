/* redact.h - credentials out of text that is logged: the user:password@ part of every URL
 * ("scheme://user:pass@host...") becomes "***@". Pure functions. */
#ifndef ZKINIT_REDACT_H
#define ZKINIT_REDACT_H

#include <stddef.h>

/* Writes IN (its first N bytes) into OUT (LEN bytes, NUL-terminated, truncated to fit) with the
 * user information of every URL in it masked. Returns the length written. */
size_t redact_urls(const char *in, size_t n, char *out, size_t len);

#endif
