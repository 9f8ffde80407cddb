/* test_zk_txnlog.c - ZooKeeper's transaction log format and its file names (zk_txnlog.h). */
#include "unit.h"
#include "zookeeper/zk_txnlog.h"

#include <stdint.h>

static unsigned char buf[4096];
static size_t used;

static void put(uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        buf[used++] = (unsigned char)(v >> (8 * i));
}

static void header(void)
{
    used = 0;
    memcpy(buf, "ZKLG", 4);
    used = 4;
    put(2, 4);
    put(0, 8);
}

/* A record with TxnHeader {clientId, cxid, ZXID, time, TYPE} and EXTRA bytes of transaction. */
static size_t record(uint64_t zxid, int type, int extra, int crc_ok, char eor)
{
    unsigned char txn[256];
    size_t n = 0, start = used;
    uint64_t fields[] = {0x1234, 7, zxid, 1700000000000ULL, (uint64_t)type};
    int widths[] = {8, 4, 8, 8, 4};
    for (int f = 0; f < 5; f++)
        for (int i = widths[f] - 1; i >= 0; i--)
            txn[n++] = (unsigned char)(fields[f] >> (8 * i));
    for (int i = 0; i < extra; i++)
        txn[n++] = (unsigned char)i;
    put(zk_adler32(txn, n) + (crc_ok ? 0 : 1), 8);
    put(n, 4);
    memcpy(buf + used, txn, n);
    used += n;
    buf[used++] = (unsigned char)eor;
    return used - start;
}

TEST(adler32_known_values)
{
    CHECK_INT(zk_adler32((const unsigned char *)"", 0), 1);
    CHECK_INT(zk_adler32((const unsigned char *)"Wikipedia", 9), 0x11E60398);
    static unsigned char big[100000];
    memset(big, 0xff, sizeof big); /* past zlib's NMAX: the modulo must come in time */
    CHECK_INT(zk_adler32(big, sizeof big), 0x149a302c); /* zlib.adler32 */
}

TEST(txnlog_last_complete_record)
{
    struct zk_txnlog_info in;
    char err[128];
    header();
    record(0x100000001, -10, 4, 1, 'B');
    record(0x100000002, 1, 20, 1, 'B');
    record(0x100000003, 2, 0, 1, 'B');
    memset(buf + used, 0, 64); /* preallocated */
    CHECK_INT(zk_txnlog_scan(buf, used + 64, &in, err, sizeof err), 0);
    CHECK_INT(in.version, 2);
    CHECK_INT(in.records, 3);
    CHECK(in.first_zxid == 0x100000001);
    CHECK(in.last_zxid == 0x100000003);
    CHECK_INT(in.last_type, 2);
    CHECK(in.last_time_ms == 1700000000000LL);
    CHECK_INT(in.end, ZK_TXNLOG_END_ZERO);
    CHECK_INT(in.end_offset, used);
    CHECK_INT(zk_txnlog_scan(buf, used, &in, err, sizeof err), 0);
    CHECK_INT(in.end, ZK_TXNLOG_END_EOF);
    CHECK_INT(zk_txnlog_scan(buf, used + 5, &in, err, sizeof err), 0); /* a short zero tail */
    CHECK_INT(in.end, ZK_TXNLOG_END_ZERO);
}

TEST(txnlog_partial_and_damaged_records_end_it)
{
    struct zk_txnlog_info in;
    char err[128];
    header();
    record(0x200000001, 1, 8, 1, 'B');
    size_t good = used;
    size_t last = record(0x200000002, 1, 8, 1, 'B');
    for (size_t cut = 1; cut < last; cut++) { /* a crash anywhere inside the last record */
        CHECK_INT(zk_txnlog_scan(buf, good + cut, &in, err, sizeof err), 0);
        CHECK_INT(in.records, 1);
        CHECK(in.last_zxid == 0x200000001);
    }
    used = good;
    record(0x200000002, 1, 8, 1, 'X');
    CHECK_INT(zk_txnlog_scan(buf, used, &in, err, sizeof err), 0);
    CHECK_INT(in.records, 1);
    CHECK_INT(in.end, ZK_TXNLOG_END_NO_EOR);
    used = good;
    record(0x200000002, 1, 8, 0, 'B');
    CHECK_INT(zk_txnlog_scan(buf, used, &in, err, sizeof err), 0);
    CHECK_INT(in.end, ZK_TXNLOG_END_CRC);
    CHECK(in.last_zxid == 0x200000001);
    used = good; /* a length too short for a TxnHeader */
    put(zk_adler32(buf, 4), 8);
    put(4, 4);
    used += 5;
    CHECK_INT(zk_txnlog_scan(buf, used, &in, err, sizeof err), 0);
    CHECK_INT(in.end, ZK_TXNLOG_END_SHORT);
    used = good; /* a negative length */
    put(0, 8);
    put(0xfffffff0, 4);
    CHECK_INT(zk_txnlog_scan(buf, used, &in, err, sizeof err), 0);
    CHECK_INT(in.end, ZK_TXNLOG_END_TRUNCATED);
}

TEST(txnlog_refuses_what_is_no_log)
{
    struct zk_txnlog_info in;
    char err[128] = "";
    CHECK_INT(zk_txnlog_scan((const unsigned char *)"ZKLG", 4, &in, err, sizeof err), -1);
    CHECK(strstr(err, "header") != NULL);
    header();
    buf[0] = 'Z', buf[1] = 'K', buf[2] = 'S', buf[3] = 'N'; /* a snapshot's magic */
    CHECK_INT(zk_txnlog_scan(buf, used, &in, err, sizeof err), -1);
    CHECK(strstr(err, "magic") != NULL);
    header();
    CHECK_INT(zk_txnlog_scan(buf, used, &in, err, sizeof err), 0); /* header only */
    CHECK_INT(in.records, 0);
    CHECK(in.last_zxid == 0);
}

TEST(zxid_from_file_names)
{
    uint64_t z = 0;
    CHECK_INT(zk_zxid_from_name("log.100000001", "log.", &z), 0);
    CHECK(z == 0x100000001);
    CHECK_INT(zk_zxid_from_name("snapshot.0", "snapshot.", &z), 0);
    CHECK(z == 0);
    CHECK_INT(zk_zxid_from_name("snapshot.ffffffffffffffff", "snapshot.", &z), 0);
    CHECK(z == UINT64_MAX);
    CHECK_INT(zk_zxid_from_name("snapshot.1ffffffffffffffff", "snapshot.", &z), -1);
    CHECK_INT(zk_zxid_from_name("snapshot.1f.tmp", "snapshot.", &z), -1);
    CHECK_INT(zk_zxid_from_name("log.", "log.", &z), -1);
    CHECK_INT(zk_zxid_from_name("log.1F", "log.", &z), -1);
    CHECK_INT(zk_zxid_from_name("zoo.cfg.dynamic.next", "zoo.cfg.dynamic.", &z), -1);
    CHECK_INT(zk_zxid_from_name("zoo.cfg.dynamic.200000004", "zoo.cfg.dynamic.", &z), 0);
    CHECK(z == 0x200000004);
}
