/* zk_member.h - dynamic ensemble membership: find the live ensemble before the start, join it
 * (reconfig -add once synced) in the start hook, leave it (reconfig -remove) in the stop hook. */
#ifndef ZKINIT_ZK_MEMBER_H
#define ZKINIT_ZK_MEMBER_H

#include "zk_config.h"

#define ZK_HOSTS_MAX 4096

struct zk_member {
    struct zk_settings st;
    struct zk_server self;     /* this server's line as it should end up (participant/observer) */
    char hosts[ZK_HOSTS_MAX];  /* client endpoints of the ensemble (self included) */
    char others[ZK_HOSTS_MAX]; /* the same without this server: reconfig goes through them, so the
                                  ensemble (not our own server) checks the super password */
    int need_join;             /* the start hook must reconfig -add SELF */
    int leave_on_stop;
    long join_timeout_ms;
    long leave_timeout_ms;
    const char *password;        /* super password, or NULL */
    struct zk_ensemble previous; /* the last configuration this server knew (restart), or empty */
};

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

/* Hooks (struct hook.run): return 0 on success, 1 after logging the failure. */
int zk_join_hook(void *member);
int zk_leave_hook(void *member);

/* Runs FN(ARG, OUT, OUTLEN) in a forked process and copies what it wrote to OUT back (at most
 * OUTLEN-1 bytes, NUL-terminated). Returns FN's return value (0..255), or -1 when the process
 * failed or passed DEADLINE (it is then killed). */
int zk_in_child(int (*fn)(void *arg, char *out, size_t outlen), void *arg, char *out, size_t outlen,
                long deadline);

#endif
