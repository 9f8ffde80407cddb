/* zk_plan.h - before the start: find the live ensemble and plan the initial configuration. */
#ifndef ZKINIT_ZK_PLAN_H
#define ZKINIT_ZK_PLAN_H

#include "zk_member.h"

/* Reads the dynamic configuration zoo.cfg at CFG_PATH points to (ZooKeeper rewrites zoo.cfg to
 * name its latest dynamic file after a reconfig) into OUT; leaves OUT empty when there is none. */
void zk_previous_config(const char *cfg_path, struct zk_ensemble *out);

/* Where the live ensemble may be, in SPEC order: ZOO_JOIN, the other members of ZOO_SERVERS,
 * etcd registrations, then the other members of M->previous (a restarted server never starts a
 * one-member ensemble beside the ensemble it was part of). Fills the initial dynamic configuration
 * INITIAL and M->need_join/hosts. Runs the ZooKeeper client in forked processes only. Returns 0, or
 * an exit code after logging (64 bad ZOO_JOIN/ZOO_SERVERS, 69 ensemble expected but not answering).
 */
int zk_member_plan(struct zk_member *m, struct zk_ensemble *initial);

/* Without looking for a live ensemble (a COMMAND that is not a ZooKeeper server, e.g. zkCli.sh):
 * INITIAL = the seed list ZOO_SERVERS (or nothing) plus this server. 0 or 64 after logging. */
int zk_member_plan_offline(struct zk_member *m, struct zk_ensemble *initial);

#endif
