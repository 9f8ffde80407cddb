/* zk_steward.h - the self-managing ensemble (ZOO_REMOVE_STALE_AFTER, ZOO_MAX_PARTICIPANTS): one
 * round as the supervisor's periodic hook, in a forked process with its own deadline. Only the
 * leader's round acts: it asks every member srvr, keeps its sightings in the state directory,
 * and carries out zk_tend_decide() with one reconfig conditional on the config it saw. */
#ifndef ZKINIT_ZK_STEWARD_H
#define ZKINIT_ZK_STEWARD_H

#include "zookeeper/zk_member.h"

/* Reads ZOO_REMOVE_STALE_AFTER and ZOO_MAX_PARTICIPANTS into M. 0, or 64 after logging. */
int zk_steward_settings(struct zk_member *m);
/* 1 when either is set (the periodic hook is needed). */
int zk_steward_enabled(const struct zk_member *m);
#define ZK_STEWARD_ROUND_MS 15000 /* the deadline of one round, reconfig included */

/* How often a round runs. */
long zk_steward_every_ms(const struct zk_member *m);

/* One round (struct hook.run): 0, or 1 after logging a failure. */
int zk_steward_round(void *member);

#endif
