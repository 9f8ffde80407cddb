/* test_zk_stale.c - the self-managing ensemble's decision: a member unseen for the settling
 * period is removed (never this server, one at a time, the longest unseen first) only while the
 * rest keeps a synced quorum; one seen again in time is kept; below ZOO_MAX_PARTICIPANTS the
 * longest-serving observer is promoted; a table of another run is not evidence. */
#include "unit.h"

#include "util/parse.h"
#include "zookeeper/zk_stale.h"

#define P(n) "server." #n "=127.0.0.3" #n ":2888:3888:participant;127.0.0.3" #n ":2181 "
#define O(n) "server." #n "=127.0.0.3" #n ":2888:3888:observer;127.0.0.3" #n ":2181 "

static struct zk_ensemble ens(const char *text)
{
    struct zk_ensemble e;
    char err[200];
    memset(&e, 0, sizeof e);
    if (zk_parse_config(text, &e, err, sizeof err) != 0)
        unit_fail(__FILE__, __LINE__, err);
    return e;
}

#define N ZK_ANSWER_NONE
#define A ZK_ANSWER_ALIVE
#define S ZK_ANSWER_SERVING

static const struct zk_policy stale60 = {1, 60000, 0};

/* The table after a first round at t=1000 with everybody answering, then one at NOW with ANS. */
static void rounds(const struct zk_ensemble *e, const enum zk_answer *ans, long now,
                   struct zk_sightings *t)
{
    enum zk_answer all[ZK_MAX_SERVERS];
    for (int i = 0; i < e->n; i++)
        all[i] = S;
    memset(t, 0, sizeof *t);
    zk_sightings_update(t, 7, e, all, 1000);
    zk_sightings_update(t, 7, e, ans, now);
}

TEST(stale_participant_removed_when_the_rest_keeps_a_quorum)
{
    struct zk_ensemble e = ens(P(1) P(2) P(3));
    enum zk_answer ans[] = {S, S, N};
    struct zk_sightings t;
    struct zk_tend d;
    rounds(&e, ans, 30000, &t);
    zk_tend_decide(&stale60, &e, ans, &t, 30000, &d);
    CHECK_INT(d.action, ZK_TEND_NONE); /* not yet: unseen 29 s of 60 */
    zk_sightings_update(&t, 7, &e, ans, 61000);
    zk_tend_decide(&stale60, &e, ans, &t, 61000, &d);
    CHECK_INT(d.action, ZK_TEND_REMOVE);
    CHECK_INT(d.id, 3);
    CHECK_INT(d.unseen_ms, 60000);
    CHECK_INT(d.voters, 2);
    CHECK_INT(d.synced, 2);
}

TEST(seen_again_before_the_period_is_kept)
{
    struct zk_ensemble e = ens(P(1) P(2) P(3));
    enum zk_answer gone[] = {S, S, N}, back[] = {S, S, A};
    struct zk_sightings t;
    struct zk_tend d;
    rounds(&e, gone, 50000, &t);
    zk_sightings_update(&t, 7, &e, back, 55000); /* answers, not serving yet: seen */
    zk_sightings_update(&t, 7, &e, gone, 100000);
    zk_tend_decide(&stale60, &e, gone, &t, 100000, &d);
    CHECK_INT(d.action, ZK_TEND_NONE);
    zk_tend_decide(&stale60, &e, gone, &t, 115000, &d);
    CHECK_INT(d.action, ZK_TEND_REMOVE);
}

TEST(no_synced_quorum_without_it_holds)
{
    struct zk_ensemble e = ens(P(1) P(2) P(3) P(4) P(5));
    enum zk_answer ans[] = {S, A, A, S, N}; /* 2 and 3 answer but do not serve */
    struct zk_sightings t;
    struct zk_tend d;
    rounds(&e, ans, 70000, &t);
    zk_tend_decide(&stale60, &e, ans, &t, 70000, &d);
    CHECK_INT(d.action, ZK_TEND_HOLD);
    CHECK_INT(d.id, 5);
    CHECK_INT(d.voters, 4);
    CHECK_INT(d.synced, 2);
}

TEST(never_itself_and_the_longest_unseen_first)
{
    struct zk_ensemble e = ens(P(1) P(2) P(3) P(4) P(5));
    enum zk_answer all[] = {S, S, S, S, S}, two_gone[] = {S, S, S, N, N},
                   one_gone[] = {S, S, S, S, N};
    struct zk_sightings t;
    struct zk_tend d;
    memset(&t, 0, sizeof t);
    zk_sightings_update(&t, 7, &e, all, 1000);
    zk_sightings_update(&t, 7, &e, one_gone, 5000); /* 4 last seen at 5 s, 5 at 1 s */
    zk_sightings_update(&t, 7, &e, two_gone, 90000);
    struct zk_policy self5 = {5, 60000, 0};
    zk_tend_decide(&self5, &e, two_gone, &t, 90000, &d);
    CHECK_INT(d.id, 4); /* 5 is unseen longer, but it is this server */
    zk_tend_decide(&stale60, &e, two_gone, &t, 90000, &d);
    CHECK_INT(d.action, ZK_TEND_REMOVE);
    CHECK_INT(d.id, 5);
}

TEST(observers_removed_without_a_quorum_check)
{
    struct zk_ensemble e = ens(P(1) P(2) P(3) O(4));
    enum zk_answer ans[] = {S, N, N, N};
    struct zk_sightings t;
    struct zk_tend d;
    memset(&t, 0, sizeof t);
    zk_sightings_update(&t, 7, &e, (enum zk_answer[]){S, S, S, N}, 1000);
    zk_sightings_update(&t, 7, &e, (enum zk_answer[]){S, S, S, N}, 30000);
    zk_sightings_update(&t, 7, &e, ans, 61500);
    zk_tend_decide(&stale60, &e, ans, &t, 61500, &d);
    CHECK_INT(d.action, ZK_TEND_REMOVE); /* 4 unseen since 1 s; 2 and 3 only since 30 s */
    CHECK_INT(d.id, 4);
}

TEST(below_the_threshold_the_longest_serving_observer_is_promoted)
{
    struct zk_ensemble e = ens(P(1) P(2) O(4) O(5));
    enum zk_answer ans[] = {S, S, S, S};
    struct zk_sightings t;
    struct zk_tend d;
    struct zk_policy max3 = {1, 0, 3};
    memset(&t, 0, sizeof t);
    zk_sightings_update(&t, 7, &e, (enum zk_answer[]){S, S, A, S}, 1000);
    zk_sightings_update(&t, 7, &e, ans, 2000);
    zk_tend_decide(&max3, &e, ans, &t, 2000, &d);
    CHECK_INT(d.action, ZK_TEND_PROMOTE);
    CHECK_INT(d.id, 5); /* serving since 1 s; 4 only since 2 s */
    CHECK_INT(d.voters, 3);
    struct zk_ensemble full = ens(P(1) P(2) P(3) O(4));
    zk_tend_decide(&max3, &full, ans, &t, 2000, &d);
    CHECK_INT(d.action, ZK_TEND_NONE);
}

TEST(a_stale_voter_goes_before_a_promotion)
{
    struct zk_ensemble e = ens(P(1) P(2) P(3) O(4));
    enum zk_answer ans[] = {S, S, N, S};
    struct zk_sightings t;
    struct zk_tend d;
    struct zk_policy both = {1, 60000, 3};
    rounds(&e, ans, 62000, &t);
    zk_tend_decide(&both, &e, ans, &t, 62000, &d);
    CHECK_INT(d.action, ZK_TEND_REMOVE);
    CHECK_INT(d.id, 3);
}

TEST(a_table_of_another_run_is_not_evidence)
{
    struct zk_ensemble e = ens(P(1) P(2) P(3));
    enum zk_answer ans[] = {S, S, N};
    struct zk_sightings t;
    struct zk_tend d;
    rounds(&e, ans, 5000, &t);
    t.backoff_until_ms = 999999;
    zk_sightings_update(&t, 8, &e, ans, 100000); /* a new supervisor start */
    zk_tend_decide(&stale60, &e, ans, &t, 100000, &d);
    CHECK_INT(d.action, ZK_TEND_NONE); /* seen "now" as far as this run knows */
    CHECK_INT(t.backoff_until_ms, 0);
}

TEST(backoff_after_a_refusal)
{
    struct zk_ensemble e = ens(P(1) P(2) P(3));
    enum zk_answer ans[] = {S, S, N};
    struct zk_sightings t;
    struct zk_tend d;
    rounds(&e, ans, 70000, &t);
    t.backoff_until_ms = 80000;
    zk_tend_decide(&stale60, &e, ans, &t, 75000, &d);
    CHECK_INT(d.action, ZK_TEND_NONE);
    zk_tend_decide(&stale60, &e, ans, &t, 80000, &d);
    CHECK_INT(d.action, ZK_TEND_REMOVE);
}

TEST(sightings_render_and_parse)
{
    struct zk_ensemble e = ens(P(1) P(2) O(4));
    enum zk_answer ans[] = {S, N, S};
    struct zk_sightings t, back;
    char text[1024];
    memset(&t, 0, sizeof t);
    zk_sightings_update(&t, 42, &e, ans, 1234);
    t.held = 2;
    CHECK_INT(zk_sightings_render(&t, text, sizeof text), 0);
    CHECK_INT(zk_sightings_parse(text, &back), 0);
    CHECK_INT(back.epoch, 42);
    CHECK_INT(back.held, 2);
    CHECK_INT(back.n, 3);
    CHECK_INT(back.s[2].id, 4);
    CHECK_INT(back.s[2].serving_since_ms, 1234);
    CHECK_INT(back.s[1].serving_since_ms, 0);
    CHECK(zk_sightings_parse("epoch=1\nseen.2=5\n", &back) != 0);
    CHECK(zk_sightings_parse("epoch=1\nseen.2=5,6\nseen.2=5,6\n", &back) != 0);
    CHECK(zk_sightings_parse("epoch=x\n", &back) != 0);
    CHECK(zk_sightings_parse("garbage", &back) != 0);
    CHECK_INT(zk_sightings_parse("", &back), 0);
}

TEST(durations)
{
    long ms;
    CHECK_INT(parse_duration_ms("90", &ms), 0);
    CHECK_INT(ms, 90000);
    CHECK_INT(parse_duration_ms("90s", &ms), 0);
    CHECK_INT(ms, 90000);
    CHECK_INT(parse_duration_ms("1.5m", &ms), 0);
    CHECK_INT(ms, 90000);
    CHECK_INT(parse_duration_ms("2h", &ms), 0);
    CHECK_INT(ms, 7200000);
    CHECK_INT(parse_duration_ms("30d", &ms), 0);
    CHECK(parse_duration_ms("31d", &ms) != 0);
    CHECK(parse_duration_ms("1ms", &ms) != 0);
    CHECK(parse_duration_ms("m", &ms) != 0);
    CHECK(parse_duration_ms("", &ms) != 0);
    CHECK(parse_duration_ms("-5s", &ms) != 0);
    CHECK(parse_duration_ms("5 s", &ms) != 0);
}
