/* zk_stale.h - the self-managing ensemble's decision (ZOO_REMOVE_STALE_AFTER,
 * ZOO_MAX_PARTICIPANTS) as a pure function of the committed config, what each member answered in
 * this round and since when each was last seen: remove one stale member, promote one observer,
 * hold, or nothing, with the reason. Also the table of sightings kept between rounds. */
#ifndef ZKINIT_ZK_STALE_H
#define ZKINIT_ZK_STALE_H

#include "zookeeper/zk_config.h"

/* What a member answered to srvr this round. */
enum zk_answer {
    ZK_ANSWER_NONE,    /* no answer: unreachable */
    ZK_ANSWER_ALIVE,   /* answered, but not serving (or its mode is not whitelisted) */
    ZK_ANSWER_SERVING, /* leader, follower or observer: synced with the leader */
};

struct zk_sighting {
    int id;
    long seen_ms;          /* last answer (clock_ms) */
    long serving_since_ms; /* start of the current run of serving answers, 0 not serving */
};

/* The table between rounds. EPOCH is the supervisor's start: a table of an earlier run of
 * zkinit (or from before this server was leader, see zk_steward.c) is not evidence. */
struct zk_sightings {
    long epoch;
    long backoff_until_ms; /* after ZooKeeper refused a reconfig: no action before */
    int held;              /* the id last logged as HOLD (said once, not every round) */
    int n;
    struct zk_sighting s[ZK_MAX_SERVERS];
};

struct zk_policy {
    int self_id;
    long stale_after_ms;  /* 0: never remove */
    int max_participants; /* 0: no threshold */
};

enum zk_tend_action {
    ZK_TEND_NONE,    /* nothing to do */
    ZK_TEND_REMOVE,  /* reconfig -remove ID */
    ZK_TEND_PROMOTE, /* reconfig -add ID's line as participant */
    ZK_TEND_HOLD,    /* ID is stale but removing it now would leave no synced quorum */
};

struct zk_tend {
    enum zk_tend_action action;
    int id;
    long unseen_ms; /* for REMOVE and HOLD: since the last answer */
    int synced;     /* voters of the resulting config that serve now */
    int voters;     /* voters of the resulting config */
    const char *why;
};

/* Pure. Updates T from this round's answers (ANSWERS[i] for CFG->s[i]) at NOW: members new to
 * the table count as seen now, members gone from CFG are dropped. A table of another EPOCH is
 * started afresh. */
void zk_sightings_update(struct zk_sightings *t, long epoch, const struct zk_ensemble *cfg,
                         const enum zk_answer *answers, long now);

/* Pure. One decision: a stale member (never P->self_id) is removed, the longest unseen first,
 * when the config without it keeps a synced quorum (else HOLD); then, below
 * P->max_participants voters, the longest-serving observer is promoted. */
void zk_tend_decide(const struct zk_policy *p, const struct zk_ensemble *cfg,
                    const enum zk_answer *answers, const struct zk_sightings *t, long now,
                    struct zk_tend *out);

const char *zk_tend_name(enum zk_tend_action a);

/* Pure. The table as text ("epoch=", "backoff_until=", "held=", "seen.ID=SEEN,SERVING_SINCE") and
 * back. Parse: 0, or -1 for text that is not such a table (the caller starts afresh). */
int zk_sightings_render(const struct zk_sightings *t, char *buf, size_t len);
int zk_sightings_parse(const char *text, struct zk_sightings *out);

#endif
