/* zk_datadir.h - what a ZooKeeper data directory holds, read from its files (the I/O edge of
 * `zkinit recover`): the last zxid (snapshot names, the last complete record of the newest
 * transaction log, zk_txnlog.h) and the newest dynamic config zkinit's state dir keeps. */
#ifndef ZKINIT_ZK_DATADIR_H
#define ZKINIT_ZK_DATADIR_H

#include "zookeeper/zk_config.h"
#include "zookeeper/zk_txnlog.h"

#include <stdint.h>

struct zk_datadir_info {
    int snapshots, logs;        /* files found in the version-2 directories */
    uint64_t snap_zxid;         /* the newest snapshot's name */
    uint64_t log_zxid;          /* the last complete record of the newest log that has one */
    int has_zxid;               /* any snapshot or record */
    uint64_t last_zxid;         /* max of the two */
    char log_file[ZK_PATH_MAX]; /* the log LOG_ZXID came from ("" none) */
    enum zk_txnlog_end log_end; /* how its records ended */
};

/* Reads DATA_DIR/version-2 and LOG_DIR/version-2 (LOG_DIR may equal DATA_DIR or be NULL). 0 with
 * OUT, or -1 after logging a file that cannot be read or is no transaction log (the caller exits
 * 65: a guess would be worse). */
int zk_datadir_scan(const char *data_dir, const char *log_dir, struct zk_datadir_info *out);

/* The newest zoo.cfg.dynamic.<hex version> in STATE_DIR, parsed, with its version. 0 with OUT (n
 * 0 when there is none), or -1 after logging a file that does not parse. */
int zk_datadir_config(const char *state_dir, struct zk_ensemble *out);

/* The value of KEY= in the properties file PATH into BUF ("" when absent or unreadable). */
void zk_datadir_cfg_value(const char *path, const char *key, char *buf, size_t len);

#endif
