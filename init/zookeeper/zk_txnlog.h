/* zk_txnlog.h - pure reader of ZooKeeper's transaction log files (version-2/log.<hex zxid>) and
 * of the zxids in its snapshot and log file names: what `zkinit recover` needs to tell which
 * server saw the last write. No I/O: the caller maps the file.
 *
 * The format is ZooKeeper 3.8's (checked against a log written by Debian's zookeeper 3.8.0;
 * unchanged since 3.5), from FileTxnLog, FileHeader, Util.writeTxnBytes and TxnHeader in
 * zookeeper.jute, serialized by jute's BinaryOutputArchive (big-endian):
 *   file header  magic int32 = "ZKLG", version int32 (2), dbid int64
 *   each record  crc int64 (Adler32 of the txn bytes), length int32, txn bytes[length],
 *                end-of-record byte 'B'
 *   txn bytes    TxnHeader {clientId int64, cxid int32, zxid int64, time int64, type int32},
 *                then the transaction itself
 * ZooKeeper preallocates log files with zeros: a zero length ends the log, and so does a
 * truncated record, one without its 'B' or one whose crc does not match (FileTxnIterator stops
 * there too, or refuses the file). */
#ifndef ZKINIT_ZK_TXNLOG_H
#define ZKINIT_ZK_TXNLOG_H

#include <stddef.h>
#include <stdint.h>

#define ZK_TXNLOG_HEADER_LEN 16
#define ZK_TXNHDR_LEN 32

/* Why the records ended. */
enum zk_txnlog_end {
    ZK_TXNLOG_END_EOF,       /* the file ended exactly after a record (or the header) */
    ZK_TXNLOG_END_ZERO,      /* a zero length: the preallocated zero padding */
    ZK_TXNLOG_END_TRUNCATED, /* a record runs past the end of the file */
    ZK_TXNLOG_END_NO_EOR,    /* a record without its end-of-record 'B' (a partial write) */
    ZK_TXNLOG_END_CRC,       /* a record whose checksum does not match */
    ZK_TXNLOG_END_SHORT,     /* a record too short for its TxnHeader */
};

struct zk_txnlog_info {
    int32_t version;
    int64_t dbid;
    long records;         /* complete records */
    uint64_t first_zxid;  /* of the first complete record (0: none) */
    uint64_t last_zxid;   /* of the last complete record (0: none) */
    int64_t last_time_ms; /* its time (ms since the epoch) */
    int32_t last_type;    /* its OpCode */
    enum zk_txnlog_end end;
    size_t end_offset; /* where the records ended */
};

/* Scans the log file DATA[0..LEN). 0 with OUT filled, or -1 with ERR when it is not a ZooKeeper
 * transaction log (too short for the header, wrong magic). */
int zk_txnlog_scan(const unsigned char *data, size_t len, struct zk_txnlog_info *out, char *err,
                   size_t errlen);

const char *zk_txnlog_end_name(enum zk_txnlog_end e);

/* Adler-32 of DATA[0..LEN) (RFC 1950), the checksum ZooKeeper stores per record. */
uint32_t zk_adler32(const unsigned char *data, size_t len);

/* The zxid in a file name PREFIX<hex> ("log." or "snapshot."; ZooKeeper writes lower-case hex
 * without 0x). 0 with *ZXID, or -1 when NAME is not such a file (other suffixes such as
 * "snapshot.1f.tmp" are not). */
int zk_zxid_from_name(const char *name, const char *prefix, uint64_t *zxid);

#endif
