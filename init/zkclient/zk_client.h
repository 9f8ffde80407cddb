/* zk_client.h - the one ZooKeeper client session of zkinit (libzookeeper_mt): open with one
 * session timeout and one watcher that wakes a waiting caller, connect within a deadline (ending
 * early on a stop signal), digest auth, one list of connection-loss codes, getconfig and
 * reconfig. Used by the membership code and the Mesos code alike. Only for forked processes and
 * short-lived tools: never create a handle in the supervisor. */
#ifndef ZKINIT_ZK_CLIENT_H
#define ZKINIT_ZK_CLIENT_H

#include "util/clock.h" /* deadlines are clock_ms() values */
#include "zkclient/zk_ensemble.h"

#include <zookeeper/zookeeper.h>

#define ZKC_CONFIG_MAX 16384
/* The session timeout zkinit asks for (the server clamps it to 2..20 ticks). */
#define ZKC_SESSION_TIMEOUT_MS 6000

/* Opens a session to HOSTS ("h:p,h:p") without waiting for it: names are resolved again only
 * after a connection loss, the client's own logging follows zkc_set_logging. NULL on failure
 * (errno set). Close it with zkc_close. */
zhandle_t *zkc_open(const char *hosts);
/* Waits until ZH is connected. 0, -1 when DEADLINE passes first, 128+N when stop signal N is
 * pending (stopwait). */
int zkc_wait_connected(zhandle_t *zh, long deadline);
/* Forgets the events seen so far: zkc_wait_event then waits for the next one. */
void zkc_clear_events(zhandle_t *zh);
/* Waits for an event (a session change or a watch) since the last zkc_clear_events. 1 for an
 * event, 0 at DEADLINE, 128+N for stop signal N. */
int zkc_wait_event(zhandle_t *zh, long deadline);
/* How many session events all handles have seen so far; zkc_wait_any waits (at most 100 ms, and
 * not past DEADLINE) until that count moves on from *SEEN, and stores the new count there. For a
 * caller that races several handles. */
unsigned zkc_events_seen(void);
void zkc_wait_any(unsigned *seen, long deadline);
/* 1 when the session is connected; 1 when the server has expired it (open another). */
int zkc_connected(zhandle_t *zh);
int zkc_expired(zhandle_t *zh);
/* zkc_open + zkc_wait_connected; with SUPER_PASSWORD (may be NULL) authenticates as digest
 * super. NULL on failure or a stop signal (nothing logged: callers decide how loud "nobody
 * answers" is). */
zhandle_t *zkc_connect(const char *hosts, long deadline, const char *super_password);
void zkc_close(zhandle_t *zh);
/* Digest auth with CREDENTIALS "user:password" (asynchronous: a wrong one shows as ZNOAUTH
 * later). zkc_authenticate: as super with SUPER_PASSWORD. */
void zkc_add_digest(zhandle_t *zh, const char *credentials);
void zkc_authenticate(zhandle_t *zh, const char *super_password);
/* 1 for the codes that mean "the session is not (or no longer) usable": the connection was
 * lost, timed out, expired, or is closing. Another look, or another session, may succeed. */
int zkc_connection_lost(int rc);
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
