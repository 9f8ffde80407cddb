/* test_zk_recover.c - zkinit recover's pure part (zk_recover.h): whom it refuses, the version of
 * the one-member config, the note it records, the zxid in a srvr answer. */
#include "unit.h"
#include "zookeeper/zk_recover.h"

static struct zk_recover_node nodes[4];

static void three_nodes(void)
{
    char err[128];
    memset(nodes, 0, sizeof nodes);
    for (int i = 0; i < 3; i++) {
        nodes[i].id = i + 1;
        nodes[i].source = ZK_SRC_UNREACHABLE;
    }
    nodes[0].target = 1;
    nodes[0].source = ZK_SRC_DATA;
    nodes[0].has_zxid = 1;
    nodes[0].zxid = 0x100000020;
    zk_parse_config("server.1=h1:2888:3888:participant;2181\n"
                    "server.2=h2:2888:3888:participant;2181\n"
                    "server.3=h3:2888:3888:participant;2181\nversion=100000000\n",
                    &nodes[0].config, err, sizeof err);
}

TEST(recover_proceeds_when_the_others_are_gone)
{
    struct zk_recover_decision d;
    three_nodes();
    zk_recover_decide(nodes, 3, NULL, 0, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_PROCEED);
    CHECK(d.target == &nodes[0]);
    nodes[1].source = ZK_SRC_DATA; /* a tie is fine */
    nodes[1].has_zxid = 1;
    nodes[1].zxid = 0x100000020;
    zk_recover_decide(nodes, 3, NULL, 0, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_PROCEED);
}

TEST(recover_refuses_a_higher_zxid_unless_named)
{
    struct zk_recover_decision d;
    int two = 2, three = 3;
    three_nodes();
    nodes[1].source = ZK_SRC_DATA;
    nodes[1].has_zxid = 1;
    nodes[1].zxid = 0x100000021;
    zk_recover_decide(nodes, 3, NULL, 0, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_HIGHER);
    CHECK(d.blocker == &nodes[1]);
    zk_recover_decide(nodes, 3, &three, 1, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_HIGHER);
    zk_recover_decide(nodes, 3, &two, 1, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_PROCEED);
    CHECK_INT(d.accepted, 1);
    nodes[1].has_zxid = 0; /* running without serving: its zxid is unknown */
    nodes[1].source = ZK_SRC_SRVR;
    nodes[1].answered = 1;
    snprintf(nodes[1].mode, sizeof nodes[1].mode, "not-serving");
    zk_recover_decide(nodes, 3, NULL, 0, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_UNKNOWN);
    zk_recover_decide(nodes, 3, &two, 1, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_PROCEED);
}

TEST(recover_refuses_a_live_quorum_and_a_running_target)
{
    struct zk_recover_decision d;
    int two = 2;
    three_nodes();
    nodes[2].source = ZK_SRC_SRVR;
    nodes[2].answered = 1;
    snprintf(nodes[2].mode, sizeof nodes[2].mode, "follower");
    zk_recover_decide(nodes, 3, &two, 1, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_LIVE);
    CHECK(d.blocker == &nodes[2]);
    three_nodes();
    nodes[0].answered = 1;
    snprintf(nodes[0].mode, sizeof nodes[0].mode, "not-serving");
    zk_recover_decide(nodes, 3, NULL, 0, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_TARGET_RUNNING);
    three_nodes();
    nodes[0].has_zxid = 0;
    zk_recover_decide(nodes, 3, NULL, 0, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_NO_DATA);
    three_nodes();
    zk_ensemble_remove(&nodes[0].config, 1); /* it left */
    zk_recover_decide(nodes, 3, NULL, 0, &d);
    CHECK_INT(d.verdict, ZK_RECOVER_NOT_MEMBER);
}

TEST(recover_version_and_note)
{
    char v[24], note[128], ids[32];
    zk_recover_version(0x100000020, "100000000", v, sizeof v);
    CHECK_STR(v, "100000021");
    zk_recover_version(0x100000000, "100000007", v, sizeof v); /* a config newer than the data */
    CHECK_STR(v, "100000008");
    zk_recover_version(0, "", v, sizeof v);
    CHECK_STR(v, "1");
    zk_recover_version(0x1ffffffff, "", v, sizeof v); /* at most the next epoch's first zxid */
    CHECK_STR(v, "200000000");
    three_nodes();
    zk_recover_ids(&nodes[0].config, ids, sizeof ids);
    CHECK_STR(ids, "1,2,3");
    zk_recover_note(&nodes[0], &nodes[0].config, 0, note, sizeof note);
    CHECK_STR(note, "recovered by zkinit recover: highest zxid 100000020, quorum of version "
                    "100000000 (ids 1,2,3) lost");
}
