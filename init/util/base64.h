/* base64.h - standard base64 (RFC 4648, with padding): etcd's v3 keys and values, ZooKeeper's
 * super digest (pure; no library named in SPEC.md exports it). */
#ifndef ZKINIT_BASE64_H
#define ZKINIT_BASE64_H

#include <stddef.h>

/* Encodes LEN bytes into OUT (NUL-terminated); OUT needs 4*((LEN+2)/3)+1 bytes. Returns the
 * length written, or -1 when OUT is too small. */
int base64_encode(const void *in, size_t len, char *out, size_t outlen);
/* Decodes LEN characters (a multiple of 4, padding only at the end) into OUT, NUL-terminated.
 * Returns the number of bytes, or -1 when the input is not base64 or OUT is too small. */
int base64_decode(const char *in, size_t len, char *out, size_t outlen);

#endif
