/* zk_member.h - dynamic ensemble membership: what a server knows of its ensemble, the join hook
 * (reconfig -add once synced) and the leave hook (reconfig -remove). zk_plan.h fills it. */
#ifndef ZKINIT_ZK_MEMBER_H
#define ZKINIT_ZK_MEMBER_H

#include "zookeeper/zk_config.h"
#include "zookeeper/zk_state.h"

#define ZK_HOSTS_MAX 4096

struct zk_member {
    struct zk_settings st;
    struct zk_server self;     /* this server's line as it should end up (participant/observer) */
    char hosts[ZK_HOSTS_MAX];  /* client endpoints of the ensemble (self included) */
    char others[ZK_HOSTS_MAX]; /* the same without this server: reconfig goes through them, so the
                                  ensemble (not our own server) checks the super password */
    int need_join;             /* started as observer: the start hook must reconfig -add SELF */
    int leave_on_stop;
    long join_timeout_ms;
    long leave_timeout_ms;
    const char *password;        /* super password, or NULL */
    struct zk_ensemble previous; /* the last committed configuration this server knew, or empty */
    struct zk_state state;       /* the durable state as written before the start */
    char cfg_path[ZK_PATH_MAX];  /* the zoo.cfg ZooKeeper runs with (it rewrites it) */
    /* The self-managing ensemble (zk_steward.h): both 0 = off. */
    long stale_after_ms;  /* ZOO_REMOVE_STALE_AFTER */
    int max_participants; /* ZOO_MAX_PARTICIPANTS: joiners beyond it are observers */
    long epoch_ms;        /* the supervisor's start: the steward trusts only its own sightings */
};

/* The newest committed configuration known locally: ZooKeeper's own files (through CFG_PATH and
 * the old layout's conf dir) and the state file. */
void zk_member_known_config(const struct zk_member *m, struct zk_ensemble *out);
/* Records STATUS with CFG in the state file (and CFG in etcd when configured); logs failures. */
void zk_member_record(const struct zk_member *m, enum zk_status status,
                      const struct zk_ensemble *cfg, const char *note, long timeout_ms);

/* The line this server should have in CUR: its own, or (with ZOO_MAX_PARTICIPANTS) the same as
 * observer when it is one already or the voters are full. */
void zk_member_wanted(const struct zk_member *m, const struct zk_ensemble *cur,
                      struct zk_server *want);

/* Hooks (struct hook.run): return 0 on success, 1 after logging the failure. */
int zk_join_hook(void *member);
int zk_leave_hook(void *member);

#endif
