/* zk_decide.h - the start decision as a pure function of what this server knows: its durable
 * state, whether its data directory has ever held data, the seed list, the etcd record and
 * registrations, and what a live ensemble answered. Only a quorum of the last committed
 * configuration may elect a leader: a server that left, or an empty one, never gets a vote it
 * would not have had; the seed list is for a first boot only. */
#ifndef ZKINIT_ZK_DECIDE_H
#define ZKINIT_ZK_DECIDE_H

#include "zookeeper/zk_state.h"

enum zk_action {
    ZK_ACT_START_LIVE, /* already a member of the live ensemble: start with its config */
    ZK_ACT_START_LAST, /* a member of the last committed config: start with it (ZooKeeper's
                          election among its members decides) */
    ZK_ACT_JOIN,       /* start as observer of the live config, reconfig -add once synced */
    ZK_ACT_REJOIN,     /* listed in the live config but must not vote as is (empty data, other
                          address or role): remove that entry first, then join */
    ZK_ACT_WAIT,       /* wait for a live ensemble, then decide again */
    ZK_ACT_SEEDS,      /* a first boot: form the ensemble from the seed list */
    ZK_ACT_ALONE,      /* no ensemble anywhere: a one-member ensemble others can join */
};

enum zk_live {
    ZK_LIVE_NONE,     /* nothing was probed (no hosts to ask) */
    ZK_LIVE_ANSWERED, /* a serving server answered with the committed config */
    ZK_LIVE_NOBODY,   /* every host resolved and none served */
    ZK_LIVE_UNKNOWN,  /* a name did not resolve, or the probe itself failed: no conclusion */
};

struct zk_facts {
    struct zk_server self;            /* this server's line as it should be (role included) */
    enum zk_status status;            /* from the state file */
    const struct zk_ensemble *last;   /* newest committed config known locally (n 0: none) */
    int has_data;                     /* ZooKeeper wrote data here before */
    const struct zk_ensemble *seeds;  /* ZOO_SERVERS (n 0: none) */
    const struct zk_ensemble *record; /* etcd's record of the committed config (n 0: none) */
    int registered;                   /* etcd registrations, 0 without etcd */
    int lowest_registered;            /* the lowest registered id (0: none) */
    int join_requested;               /* ZOO_JOIN is set */
    enum zk_live live_state;
    const struct zk_ensemble *live; /* when live_state is ANSWERED */
    int seed_with_history;          /* a seed server's election port said it was part of a formed
                                       ensemble (its epoch is not 0): the id, else 0 */
    int role_flexible; /* ZOO_MAX_PARTICIPANTS: a participant may be listed as observer (it joined
                          beyond the threshold; the steward promotes it) */
};

struct zk_decision {
    enum zk_action action;
    const char *why; /* one sentence for the log */
};

const char *zk_action_name(enum zk_action a);
const char *zk_live_name(enum zk_live l);

void zk_decide(const struct zk_facts *f, struct zk_decision *out);

#endif
