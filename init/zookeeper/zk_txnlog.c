/* zk_txnlog.c - ZooKeeper transaction log reader (see zk_txnlog.h). Pure. */
#include "zookeeper/zk_txnlog.h"

#include "util/parse.h"

#include <string.h>

static uint64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

const char *zk_txnlog_end_name(enum zk_txnlog_end e)
{
    static const char *const names[] = {
        "eof", "zero-padding", "truncated", "partial-record", "bad-checksum", "short-record"};
    return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "?";
}

uint32_t zk_adler32(const unsigned char *data, size_t len)
{
    uint32_t a = 1, b = 0;
    while (len > 0) {
        size_t n = len < 5552 ? len : 5552; /* no overflow before the modulo (zlib's NMAX) */
        len -= n;
        while (n-- > 0) {
            a += *data++;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

/* One record at P (AVAIL bytes left). 0 and *SIZE when complete, else the reason it ends. */
static int record_at(const unsigned char *p, size_t avail, size_t *size, enum zk_txnlog_end *end)
{
    if (avail == 0) {
        *end = ZK_TXNLOG_END_EOF;
        return -1;
    }
    if (avail < 12) { /* crc and length: zeros here are padding too */
        int zero = 1;
        for (size_t i = 0; i < avail; i++)
            zero = zero && p[i] == 0;
        *end = zero ? ZK_TXNLOG_END_ZERO : ZK_TXNLOG_END_TRUNCATED;
        return -1;
    }
    int32_t len = (int32_t)be32(p + 8);
    if (len == 0 || len == -1) { /* -1: jute's null buffer; ZooKeeper stops there as well */
        *end = ZK_TXNLOG_END_ZERO;
        return -1;
    }
    if (len < 0 || (size_t)len > avail - 12 || avail - 12 - (size_t)len < 1) {
        *end = ZK_TXNLOG_END_TRUNCATED;
        return -1;
    }
    if (len < ZK_TXNHDR_LEN) {
        *end = ZK_TXNLOG_END_SHORT;
        return -1;
    }
    if (be64(p) != zk_adler32(p + 12, (size_t)len)) {
        *end = ZK_TXNLOG_END_CRC;
        return -1;
    }
    if (p[12 + len] != 'B') {
        *end = ZK_TXNLOG_END_NO_EOR;
        return -1;
    }
    *size = 12 + (size_t)len + 1;
    return 0;
}

int zk_txnlog_scan(const unsigned char *data, size_t len, struct zk_txnlog_info *out, char *err,
                   size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len < ZK_TXNLOG_HEADER_LEN)
        return parse_fail(err, errlen, "%zu bytes: shorter than a transaction log's header", len);
    if (memcmp(data, "ZKLG", 4) != 0)
        return parse_fail(err, errlen, "%s", "no ZKLG magic: not a ZooKeeper transaction log");
    out->version = (int32_t)be32(data + 4);
    out->dbid = (int64_t)be64(data + 8);
    size_t off = ZK_TXNLOG_HEADER_LEN, size;
    while (record_at(data + off, len - off, &size, &out->end) == 0) {
        const unsigned char *hdr = data + off + 12;
        out->last_zxid = be64(hdr + 12);
        out->last_time_ms = (int64_t)be64(hdr + 20);
        out->last_type = (int32_t)be32(hdr + 28);
        if (out->records++ == 0)
            out->first_zxid = out->last_zxid;
        off += size;
    }
    out->end_offset = off;
    return 0;
}

int zk_zxid_from_name(const char *name, const char *prefix, uint64_t *zxid)
{
    size_t p = strlen(prefix);
    const char *hex = name + p;
    size_t n = strlen(hex);
    if (strncmp(name, prefix, p) != 0 || n == 0 || n > 16 || strspn(hex, "0123456789abcdef") != n)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 4 | (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
    *zxid = v;
    return 0;
}
