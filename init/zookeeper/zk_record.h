/* zk_record.h - the ensemble's committed configuration recorded in etcd
 * (<ETCD_PREFIX>/ensemble/config: server lines and version=), written after every join and
 * leave with a compare-and-swap so that an older writer never overwrites a newer config. A start
 * that finds a record knows an ensemble exists: nobody bootstraps alone then. */
#ifndef ZKINIT_ZK_RECORD_H
#define ZKINIT_ZK_RECORD_H

#include "zookeeper/zk_config.h"

/* Reads the record: 0 with OUT (n 0 when there is none, or etcd is not configured), or an exit
 * code (69 etcd unreachable, ...) after logging. TIMEOUT_MS bounds the whole call (0:
 * ETCD_TIMEOUT). */
int zk_record_load(struct zk_ensemble *out, long timeout_ms);

/* Records CFG when its version is newer than the recorded one. 0 (also when etcd is not
 * configured or the record is newer already), or an exit code after logging. */
int zk_record_store(const struct zk_ensemble *cfg, long timeout_ms);

#endif
