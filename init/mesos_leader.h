/* mesos_leader.h - finds Mesos masters registered in ZooKeeper (`zkinit mesos-leader`) and
 * waits for a leading master before an agent or Marathon starts (ZKINIT_WAIT_FOR_LEADER). */
#ifndef ZKINIT_MESOS_LEADER_H
#define ZKINIT_MESOS_LEADER_H

#include <stddef.h>

#define MESOS_NODE_NAME_MAX 64

struct mesos_node {
    char name[MESOS_NODE_NAME_MAX]; /* "json.info_0000000003" */
    long long seq;
    int json; /* 1: JSON registration, 0: protobuf MasterInfo */
};

/* Classifies a child of the Mesos path: 1 when NAME is `json.info_N` or `info_N` (N decimal),
 * filling *NODE; 0 for anything else (log_replicas, info_x, ...). Pure. */
int mesos_node_parse(const char *name, struct mesos_node *node);

/* Keeps the master registrations of NAMES (N of them) in OUT (room for MAX), sorted by sequence:
 * OUT[0] is the leader. Returns how many were kept. Pure. */
int mesos_nodes_select(char *const *names, int n, struct mesos_node *out, int max);

/* Waits until a master is registered under the zk:// URL (VAR names where it came from, for the
 * log; the URL is logged with its password masked), using ZooKeeper watches, for at most
 * TIMEOUT_MS. Returns 0 when one is, 64 for a bad URL, 69 when none is (or ZooKeeper is
 * unreachable) by the deadline, 128+N when stop signal N arrives (stopwait); logs one line on
 * failure. */
int mesos_wait_leader(const char *url, const char *var, long timeout_ms);

#endif
