/* test_zk_decide.c - the start decision table: a server that left only joins, the last one out
 * comes back as the ensemble, an empty member never votes before it has synced, the seed list is
 * for a first boot only, etcd's "lowest id bootstraps" only when nothing was ever recorded. */
#include "unit.h"

#include "zookeeper/zk_decide.h"

static struct zk_ensemble ens(const char *text)
{
    struct zk_ensemble e;
    char err[200];
    memset(&e, 0, sizeof e);
    if (text && zk_parse_config(text, &e, err, sizeof err) != 0)
        unit_fail(__FILE__, __LINE__, err);
    return e;
}

#define S1 "server.1=127.0.0.81:2888:3888:participant;127.0.0.81:2181 "
#define S2 "server.2=127.0.0.82:2888:3888:participant;127.0.0.82:2181 "
#define S3 "server.3=127.0.0.83:2888:3888:participant;127.0.0.83:2181 "

static struct zk_ensemble last, seeds, record, live;

/* Facts for server 2 with nothing known. */
static struct zk_facts facts(void)
{
    struct zk_facts f;
    char err[200];
    memset(&f, 0, sizeof f);
    if (zk_parse_server("server.2=127.0.0.82:2888:3888:participant;127.0.0.82:2181", &f.self, err,
                        sizeof err) != 0)
        unit_fail(__FILE__, __LINE__, err);
    f.last = &last;
    f.seeds = &seeds;
    f.record = &record;
    f.live = &live;
    last = ens(NULL);
    seeds = ens(NULL);
    record = ens(NULL);
    live = ens(NULL);
    return f;
}

static enum zk_action decide(const struct zk_facts *f)
{
    struct zk_decision d;
    zk_decide(f, &d);
    CHECK(d.why != NULL && d.why[0]);
    return d.action;
}

TEST(decide_first_boot_uses_the_seed_list_only_then)
{
    struct zk_facts f = facts();
    seeds = ens(S1 S2 S3);
    f.live_state = ZK_LIVE_NOBODY;
    CHECK_INT(decide(&f), ZK_ACT_SEEDS);
    /* the same seed list, but this server was a member: its last committed config decides */
    f.status = ZK_STATUS_MEMBER;
    f.has_data = 1;
    last = ens(S2 "version=300000000");
    CHECK_INT(decide(&f), ZK_ACT_START_LAST);
}

TEST(decide_a_server_that_left_only_joins)
{
    struct zk_facts f = facts();
    seeds = ens(S1 S2 S3);
    last = ens(S3 "version=300000002");
    f.status = ZK_STATUS_LEFT;
    f.has_data = 1;
    f.live_state = ZK_LIVE_NOBODY;
    CHECK_INT(decide(&f), ZK_ACT_WAIT);
    live = ens(S3 "version=300000002");
    f.live_state = ZK_LIVE_ANSWERED;
    CHECK_INT(decide(&f), ZK_ACT_JOIN);
}

TEST(decide_an_empty_listed_member_never_votes_before_syncing)
{
    struct zk_facts f = facts();
    record = ens(S1 S2 S3 "version=100000017");
    f.live_state = ZK_LIVE_NOBODY;
    f.registered = 3;
    f.lowest_registered = 1;
    CHECK_INT(decide(&f), ZK_ACT_WAIT); /* etcd's record lists it; its data is empty */
    live = ens(S1 S2 S3 "version=100000017");
    f.live_state = ZK_LIVE_ANSWERED;
    CHECK_INT(decide(&f), ZK_ACT_REJOIN); /* remove the stale entry, then join */
    f.has_data = 1;
    CHECK_INT(decide(&f), ZK_ACT_START_LIVE);
}

TEST(decide_another_address_rejoins)
{
    struct zk_facts f = facts();
    f.has_data = 1;
    live = ens(S1 "server.2=10.0.0.2:2888:3888:participant;10.0.0.2:2181 " S3 "version=5");
    f.live_state = ZK_LIVE_ANSWERED;
    CHECK_INT(decide(&f), ZK_ACT_REJOIN);
}

TEST(decide_etcd_lowest_id_bootstraps_only_without_a_record)
{
    struct zk_facts f = facts();
    f.registered = 3;
    f.lowest_registered = 2;
    f.live_state = ZK_LIVE_NOBODY;
    CHECK_INT(decide(&f), ZK_ACT_ALONE);
    f.live_state = ZK_LIVE_UNKNOWN; /* a name did not resolve: no conclusion, no bootstrap */
    CHECK_INT(decide(&f), ZK_ACT_WAIT);
    f.live_state = ZK_LIVE_NOBODY;
    f.lowest_registered = 1;
    CHECK_INT(decide(&f), ZK_ACT_WAIT);
    f.lowest_registered = 2;
    record = ens(S1 S3 "version=9"); /* an ensemble existed: never alone */
    CHECK_INT(decide(&f), ZK_ACT_WAIT);
}

TEST(decide_zoo_join_waits_for_the_named_ensemble)
{
    struct zk_facts f = facts();
    f.join_requested = 1;
    f.live_state = ZK_LIVE_NOBODY;
    CHECK_INT(decide(&f), ZK_ACT_WAIT);
    f.join_requested = 0;
    CHECK_INT(decide(&f), ZK_ACT_ALONE);
}

TEST(decide_observer_of_the_last_config_starts_with_it)
{
    struct zk_facts f = facts();
    char err[200];
    zk_parse_server("server.2=127.0.0.82:2888:3888:observer;127.0.0.82:2181", &f.self, err,
                    sizeof err);
    last = ens(S1 S3 "server.2=127.0.0.82:2888:3888:observer;127.0.0.82:2181 version=7");
    f.status = ZK_STATUS_MEMBER;
    f.live_state = ZK_LIVE_NOBODY;
    CHECK_INT(decide(&f), ZK_ACT_START_LAST); /* observers do not vote: no data needed */
}

TEST(decide_a_fresh_volume_beside_a_seed_with_history_waits)
{
    struct zk_facts f = facts();
    seeds = ens(S1 S2 S3);
    f.live_state = ZK_LIVE_NOBODY;
    f.seed_with_history = 1; /* zk1's election port: epoch 1 */
    CHECK_INT(decide(&f), ZK_ACT_WAIT);
    f.has_data = 1; /* data but no state (an older zkinit): the seed list, as before */
    CHECK_INT(decide(&f), ZK_ACT_SEEDS);
}

#define O2 "server.2=127.0.0.82:2888:3888:observer;127.0.0.82:2181 "

TEST(decide_an_observer_beyond_max_participants_is_a_member_as_such)
{
    struct zk_facts f = facts();
    f.status = ZK_STATUS_MEMBER;
    f.has_data = 1;
    live = ens(S1 O2 S3 "version=300000002");
    f.live_state = ZK_LIVE_ANSWERED;
    CHECK_INT(decide(&f), ZK_ACT_REJOIN); /* another role, without a threshold */
    f.role_flexible = 1;
    CHECK_INT(decide(&f), ZK_ACT_START_LIVE);
    last = live;
    f.live_state = ZK_LIVE_NOBODY;
    CHECK_INT(decide(&f), ZK_ACT_START_LAST); /* an observer does not vote: no quorum needed */
    f.role_flexible = 0;
    CHECK_INT(decide(&f), ZK_ACT_WAIT);
    /* a participant listed as participant stays one, flexible or not */
    f.role_flexible = 1;
    live = ens(S1 S2 S3 "version=300000004");
    f.live_state = ZK_LIVE_ANSWERED;
    CHECK_INT(decide(&f), ZK_ACT_START_LIVE);
}
