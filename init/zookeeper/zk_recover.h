/* zk_recover.h - the pure part of `zkinit recover` (after a quorum is lost for good): what every
 * reachable node reported, whether this server may take over alone (a live quorum or a node with a
 * higher zxid refuses it), the version of the one-member config it then writes, and the note it
 * records. The I/O is in tools/cmd_recover.c, zk_recover_apply.c and zk_datadir.c. */
#ifndef ZKINIT_ZK_RECOVER_H
#define ZKINIT_ZK_RECOVER_H

#include "zookeeper/zk_config.h"

#include <stdint.h>

#define ZK_RECOVER_MAX (ZK_MAX_SERVERS + 16)
#define ZK_IKNOW_MAX 16

enum zk_recover_source {
    ZK_SRC_DATA,        /* read from a data directory (this server's, or --data) */
    ZK_SRC_SRVR,        /* a running server answered srvr */
    ZK_SRC_UNREACHABLE, /* in the last config, no data directory given, nothing answered */
};

struct zk_recover_node {
    int id;                  /* 0: unknown (a --server that matches no line of the config) */
    char where[ZK_PATH_MAX]; /* the data directory or host:port */
    enum zk_recover_source source;
    int target; /* this server: the one that would serve alone */
    int has_zxid;
    uint64_t zxid;             /* the last zxid it has (data) or reports (srvr) */
    int answered;              /* its client port answered srvr (running, serving or not) */
    char mode[16];             /* srvr's mode, "not-serving", "srvr-refused", or "" */
    struct zk_ensemble config; /* its last committed config (data), n 0 when unknown */
};

enum zk_recover_verdict {
    ZK_RECOVER_PROCEED,
    ZK_RECOVER_LIVE,           /* some server serves: a quorum is alive */
    ZK_RECOVER_TARGET_RUNNING, /* this server's own ZooKeeper still runs */
    ZK_RECOVER_NO_DATA,        /* this server has no ZooKeeper data at all */
    ZK_RECOVER_NOT_MEMBER,     /* this server is no participant of its last committed config */
    ZK_RECOVER_HIGHER,         /* another node has a higher zxid */
    ZK_RECOVER_UNKNOWN,        /* another node runs but does not say its zxid */
};

struct zk_recover_decision {
    enum zk_recover_verdict verdict;
    const struct zk_recover_node *target;
    const struct zk_recover_node *blocker; /* the node that refuses it (NULL: none) */
    const char *why;                       /* one sentence for the log */
    const char *hint;                      /* what to do (for refusals) */
    int accepted;                          /* nodes ahead of the target that --i-know accepted */
};

const char *zk_recover_source_name(enum zk_recover_source s);
const char *zk_recover_verdict_name(enum zk_recover_verdict v);

/* Decides from the N reports in NODES (exactly one has target set) and the ids the operator named
 * with --i-know (IKNOW, NIKNOW): their higher or unknown zxid may be lost. */
void zk_recover_decide(const struct zk_recover_node *nodes, int n, const int *iknow, int niknow,
                       struct zk_recover_decision *out);

/* The version of the one-member config, as ZooKeeper's hex: max(LAST_ZXID, OLD_VERSION) + 1.
 * Newer than every config this server's ensemble committed (a config's version is the zxid of its
 * reconfig), and never beyond the next epoch's first zxid, so the reconfigs that add the others
 * back (in the epoch this server starts as leader) are newer still. Only this server's own zxid
 * and config count: another node's higher epoch would make the version overtake them. */
void zk_recover_version(uint64_t last_zxid, const char *old_version, char *buf, size_t len);

/* The note for the membership state (at most LEN-1 bytes): why this config was written. */
void zk_recover_note(const struct zk_recover_node *target, const struct zk_ensemble *old,
                     int accepted, char *buf, size_t len);

/* "1,2,3": the ids of E's participants. */
void zk_recover_ids(const struct zk_ensemble *e, char *buf, size_t len);

#endif
