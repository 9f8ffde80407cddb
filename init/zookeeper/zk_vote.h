/* zk_vote.h - ask a ZooKeeper server's election port for its current vote, as a non-voting peer
 * would: the only way to learn whether a server that is still electing (and so answers no client)
 * has ever been part of a formed ensemble. A server answers a non-voter's notification with its
 * own vote, whose epoch is 0 only before the ensemble ever formed. The wire format (ZooKeeper 3.5+
 * QuorumCnxManager and FastLeaderElection, as of 3.8/3.9) is written down here as data:
 * initial message = long protocol version (-65536), long sid, int length, "host:port";
 * notification = int length, int state, long leader, long zxid, long election epoch,
 * long peer epoch, int version (0: no config follows); big-endian throughout. */
#ifndef ZKINIT_ZK_VOTE_H
#define ZKINIT_ZK_VOTE_H

#include <stddef.h>

struct zk_vote {
    int state; /* 0 looking, 1 following, 2 leading, 3 observing */
    long long leader, zxid, election_epoch, peer_epoch;
};

/* Pure: the bytes a non-voter with SID and election address ADDR ("host:port") sends: the initial
 * message and one LOOKING notification. Returns their length, or 0 when BUF is too small. */
size_t zk_vote_request(unsigned char *buf, size_t len, long long sid, const char *addr);

/* Pure: one notification frame at BUF. Returns the bytes it takes (then OUT is filled), 0 when
 * more bytes are needed, -1 when it is not a notification. */
long zk_vote_parse(const unsigned char *buf, size_t len, struct zk_vote *out);

/* Connects to HOST:PORT (an address literal), asks, and waits for the answer until DEADLINE
 * (clock_ms()). 0 with OUT, or -1 (refused, no answer, not ZooKeeper). */
int zk_vote_ask(const char *host, int port, long deadline, struct zk_vote *out);

#endif
