/* test_mesos_leader.c - which ZooKeeper children are masters, and who leads. */
#include "mesos/mesos_leader.h"
#include "unit.h"

/* Hides buffer sizes from -Wformat-truncation in CHECK_STR's message. */
__attribute__((noipa)) static const char *opaque(const char *s)
{
    return s;
}
#define CHECK_S(a, b) CHECK_STR(opaque(a), b)

TEST(mesos_node_names)
{
    struct mesos_node n;
    CHECK_INT(mesos_node_parse("json.info_0000000012", &n), 1);
    CHECK_INT(n.seq, 12);
    CHECK_INT(n.json, 1);
    CHECK_INT(mesos_node_parse("info_0000000003", &n), 1);
    CHECK_INT(n.seq, 3);
    CHECK_INT(n.json, 0);
    CHECK_INT(mesos_node_parse("log_replicas", &n), 0);
    CHECK_INT(mesos_node_parse("info_", &n), 0);
    CHECK_INT(mesos_node_parse("info_12a", &n), 0);
    CHECK_INT(mesos_node_parse("json.info_-000000001", &n), 0);
    CHECK_INT(mesos_node_parse("xinfo_0000000001", &n), 0);
    CHECK_INT(mesos_node_parse("json.info_1234567890123456789", &n), 0);
}

TEST(mesos_leader_is_smallest_across_kinds)
{
    char *names[] = {"json.info_0000000010", "log_replicas", "info_0000000002",
                     "json.info_0000000007", "info_0000000011"};
    struct mesos_node out[8];
    int n = mesos_nodes_select(names, 5, out, 8);
    CHECK_INT(n, 4);
    CHECK_S(out[0].name, "info_0000000002");
    CHECK_S(out[1].name, "json.info_0000000007");
    CHECK_S(out[2].name, "json.info_0000000010");
    CHECK_S(out[3].name, "info_0000000011");
    CHECK_INT(mesos_nodes_select(names, 1, out, 8), 1);
    CHECK_INT(mesos_nodes_select(names + 1, 1, out, 8), 0);
}
