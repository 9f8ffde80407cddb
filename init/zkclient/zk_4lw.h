/* zk_4lw.h - ZooKeeper's four-letter words (srvr, ruok) over the client port, within a deadline
 * from name lookup to the last byte, and the pure parsers of a srvr answer. */
#ifndef ZKINIT_ZK_4LW_H
#define ZKINIT_ZK_4LW_H

#include <stddef.h>
#include <stdint.h>

/* Sends WORD (4 letters) to HOST:PORT and reads the whole answer (the server closes) into OUT,
 * NUL-terminated. 0, or -1 when nothing came back before TIMEOUT_MS. */
int zk_4lw_ask(const char *host, long port, const char *word, long timeout_ms, char *out,
               size_t outlen);

/* The same for HOSTPORT "host:port" or "[v6]:port". */
int zk_4lw_ask_hostport(const char *hostport, const char *word, long timeout_ms, char *out,
                        size_t outlen);

/* Pure. "Mode: follower" -> "follower" in MODE, or "" (not serving, or not whitelisted). */
void zk_4lw_mode(const char *answer, char *mode, size_t len);
/* Pure. 1 when the answer says the command is not in 4lw.commands.whitelist. */
int zk_4lw_refused(const char *answer);
/* Pure. The "Zxid: 0x..." line of a srvr answer (ZooKeeper 3.8): 0 with *ZXID, or -1 when it has
 * none (a server that does not serve answers without it). */
int zk_4lw_zxid(const char *answer, uint64_t *zxid);
/* Pure. 1 for a mode in which the server serves clients of a quorum or alone. */
int zk_4lw_serving(const char *mode);

#endif
