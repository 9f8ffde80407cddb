/* sha1.h - SHA-1 and base64 for ZooKeeper's digest authentication (superDigest); no other use. */
#ifndef ZKINIT_SHA1_H
#define ZKINIT_SHA1_H

#include <stddef.h>

#define SHA1_LEN 20

/* The SHA-1 digest of DATA (LEN bytes) into OUT. */
void sha1(const void *data, size_t len, unsigned char out[SHA1_LEN]);
/* Standard base64 (with padding) of DATA into BUF; BUF needs 4*((LEN+2)/3)+1 bytes. Returns the
 * length written, or 0 when BUF is too small (BUF then holds ""). */
size_t base64_encode(const unsigned char *data, size_t len, char *buf, size_t buflen);

#endif
