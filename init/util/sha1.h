/* sha1.h - SHA-1 for ZooKeeper's digest authentication (superDigest); no other use. */
#ifndef ZKINIT_SHA1_H
#define ZKINIT_SHA1_H

#include <stddef.h>

#define SHA1_LEN 20

/* The SHA-1 digest of DATA (LEN bytes) into OUT. */
void sha1(const void *data, size_t len, unsigned char out[SHA1_LEN]);

#endif
