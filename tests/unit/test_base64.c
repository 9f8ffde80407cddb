/* test_base64.c - RFC 4648 vectors, etcd keys, and every malformed input refused. */
#include "unit.h"

#include "util/base64.h"

#define LEN(s) (s), strlen(s)

TEST(base64_rfc4648_vectors)
{
    char b[16];
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        CHECK_INT(base64_encode(in[i], strlen(in[i]), b, sizeof b), (int)strlen(out[i]));
        CHECK_STR(b, out[i]);
        CHECK_INT(base64_decode(LEN(out[i]), b, sizeof b), (int)strlen(in[i]));
        CHECK_STR(b, in[i]);
    }
    CHECK_INT(base64_encode("foobar", 6, b, 8), -1); /* no room for the NUL */
}

TEST(base64_etcd_keys)
{
    char out[64];
    CHECK_INT(base64_encode("/zookeeper/ids/1", 16, out, sizeof out), 24);
    CHECK_STR(out, "L3pvb2tlZXBlci9pZHMvMQ==");
    CHECK_INT(base64_decode(LEN("L3pvb2tlZXBlci9pZHMvMQ=="), out, sizeof out), 16);
    CHECK_STR(out, "/zookeeper/ids/1");
}

TEST(base64_malformed_input_is_refused)
{
    char out[64];
    CHECK_INT(base64_decode(LEN("YWI"), out, sizeof out), -1);
    CHECK_INT(base64_decode(LEN("Y=I="), out, sizeof out), -1);
    CHECK_INT(base64_decode(LEN("YW!="), out, sizeof out), -1);
    CHECK_INT(base64_decode(LEN("YQ==YQ=="), out, sizeof out), -1);
    CHECK_INT(base64_decode(LEN("YWJj"), out, 3), -1); /* no room for the NUL */
}
