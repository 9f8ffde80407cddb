/* mesos_leader.h - Mesos masters registered in ZooKeeper: which nodes are registrations, reading
 * them (for `zkinit mesos-leader`), and the wait for a leading master before an agent or Marathon
 * starts (ZKINIT_WAIT_FOR_LEADER). */
#ifndef ZKINIT_MESOS_LEADER_H
#define ZKINIT_MESOS_LEADER_H

#include "mesos/masterinfo.h"
#include "mesos/zkurl.h"

#include <stddef.h>
#include <zookeeper/zookeeper.h>

#define MESOS_NODE_NAME_MAX 64
#define MESOS_MAX_NODES 1024 /* registrations read at most */

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

/* Opens a session to U's hosts with U's digest credentials and waits until it is connected
 * (*OUT; zkc_close it). 0, EXIT_UNAVAILABLE when DEADLINE passes first (not logged), or 128+N
 * when stop signal N arrives. */
int mesos_zk_open(const struct zkurl *u, long deadline, zhandle_t **out);
/* Lists the master registrations under PATH into NODES (room for MESOS_MAX_NODES), sorted: the
 * leader first. Returns the count (0: none; *MISSING set when PATH does not exist; with WATCH, a
 * lost connection also gives 0: the next session event brings another look), or -EXIT_* code
 * after logging. */
int mesos_list_masters(zhandle_t *zh, const char *path, struct mesos_node *nodes, int watch,
                       int *missing);
/* Reads and decodes NODE under PATH into MI. 0; 1 when the node is gone; -1 when it cannot be
 * decoded (*WHY says why); EXIT_* codes above 1 for ZooKeeper errors (logged). */
int mesos_read_master(zhandle_t *zh, const char *path, const struct mesos_node *node,
                      struct master_info *mi, const char **why);

/* Waits until a master is registered under the zk:// URL (VAR names where it came from, for the
 * log; the URL is logged with its password masked), using ZooKeeper watches, for at most
 * TIMEOUT_MS. Returns 0 when one is, 64 for a bad URL, 69 when none is (or ZooKeeper is
 * unreachable) by the deadline, 128+N when stop signal N arrives (stopwait); logs one line on
 * failure. */
int mesos_wait_leader(const char *url, const char *var, long timeout_ms);

#endif
