/* zk_client.h - short ZooKeeper client sessions (libzookeeper_mt sync API) for getconfig and
 * reconfig, with deadlines. Only for forked processes: never create a handle in the supervisor. */
#ifndef ZKINIT_ZK_CLIENT_H
#define ZKINIT_ZK_CLIENT_H

#include "clock.h" /* deadlines are clock_ms() values */
#include "zk_config.h"

#include <zookeeper/zookeeper.h>

#define ZKC_CONFIG_MAX 16384

/* Connects to HOSTS ("h:p,h:p") and waits until the session is up or DEADLINE (clock_ms())
 * passes. With SUPER_PASSWORD (may be NULL) authenticates as digest super. NULL on failure
 * (nothing logged: callers decide how loud "nobody answers" is). */
zhandle_t *zkc_connect(const char *hosts, long deadline, const char *super_password);
void zkc_close(zhandle_t *zh);
/* Digest auth as super on ZH (asynchronous: a wrong password shows as ZNOAUTH later). */
void zkc_authenticate(zhandle_t *zh, const char *super_password);
/* A watcher that ignores every event (short sessions poll their state). */
void zkc_ignore_events(zhandle_t *zh, int type, int state, const char *path, void *ctx);

/* getconfig: the committed dynamic configuration as text (RAW, may be NULL) and parsed (OUT, may
 * be NULL).
 * Returns a ZooKeeper code (ZOK, ZCONNECTIONLOSS, ...) or ZBADARGUMENTS for an unparsable answer.
 */
int zkc_getconfig(zhandle_t *zh, char *raw, size_t rawlen, struct zk_ensemble *out);

/* Incremental reconfig: JOINING (server lines, comma separated) and/or LEAVING (ids). Returns a
 * ZooKeeper code; on ZOK the new configuration is in OUT (may be NULL). */
int zkc_reconfig(zhandle_t *zh, const char *joining, const char *leaving, struct zk_ensemble *out);
/* The same, applied only while the committed config's version is FROM_VERSION (hex; NULL or "":
 * any): ZBADVERSION when another change came first. */
int zkc_reconfig_from(zhandle_t *zh, const char *joining, const char *leaving,
                      const char *from_version, struct zk_ensemble *out);

/* Quietens (or, with ZKINIT_LOG_LEVEL=debug, enables) the C client's own logging. */
void zkc_set_logging(void);

#endif
