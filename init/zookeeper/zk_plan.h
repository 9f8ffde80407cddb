/* zk_plan.h - before the start: gather what this server knows (durable state, its data, the seed
 * list, etcd's record and registrations), probe the live ensemble, let zk_decide() choose, and
 * act on it (wait, remove a stale entry of this id, or fill the initial configuration). */
#ifndef ZKINIT_ZK_PLAN_H
#define ZKINIT_ZK_PLAN_H

#include "zookeeper/zk_member.h"

/* Fills the initial dynamic configuration INITIAL, M->need_join, M->hosts/others and M->state
 * (to be saved before the JVM starts). Every decision is logged with its inputs. The ZooKeeper
 * client runs in forked processes only. Returns 0, or an exit code after logging: 64 bad
 * ZOO_JOIN/ZOO_SERVERS, 69 no ensemble answered before ZOO_JOIN_TIMEOUT while one is needed, 70 a
 * probe could not run, 128+N when stop signal N arrived meanwhile. */
int zk_member_plan(struct zk_member *m, struct zk_ensemble *initial);

/* Without looking for a live ensemble (a COMMAND that is not a ZooKeeper server, e.g. zkCli.sh):
 * INITIAL = the seed list ZOO_SERVERS (or nothing) plus this server. 0 or 64 after logging. */
int zk_member_plan_offline(struct zk_member *m, struct zk_ensemble *initial);

#endif
