/* zk_reach.h - reaching a live ZooKeeper through a host list without the C client's slow paths:
 * every name is resolved here (with retries: a transient NXDOMAIN is not "nobody answers"), then
 * one session per address is opened at once and the first that connects wins, so a dead address
 * costs nothing but its own short deadline. Only for forked processes (client threads). */
#ifndef ZKINIT_ZK_REACH_H
#define ZKINIT_ZK_REACH_H

#include <netdb.h>
#include <stddef.h>
#include <zookeeper/zookeeper.h>

#define ZK_REACH_MAX 64

/* Why nobody was reached: the answer of zk_reach_first when it returns NULL. */
enum zk_reach_fail {
    ZK_REACH_OK,         /* reached (the handle is not NULL) */
    ZK_REACH_NOBODY,     /* every host resolved; none served before the deadline */
    ZK_REACH_UNRESOLVED, /* some host did not resolve (and no other served) */
    ZK_REACH_EMPTY,      /* no host in the list */
};

/* Pure: splits "h:p,h:p,[v6]:p" into HOST and PORT parts. Returns the number of entries (at most
 * MAX), skipping empty ones. */
int zk_reach_split(const char *hosts, char host[][128], int port[], int max);

/* Resolves HOST (a name or an address literal) to a numeric address in OUT ("[..]" for IPv6),
 * trying a name up to TRIES times DELAY_MS apart. 0, or -1 when it never resolved. */
int zk_reach_resolve(const char *host, int tries, long delay_ms, char *out, size_t outlen);

/* Opens a session to every host of HOSTS at once and returns the first connected before DEADLINE
 * (clock_ms()), authenticated as super with SUPER_PASSWORD (may be NULL); the others are closed.
 * NULL with *WHY when none connected. */
zhandle_t *zk_reach_first(const char *hosts, long deadline, const char *super_password,
                          enum zk_reach_fail *why);

const char *zk_reach_fail_name(enum zk_reach_fail why);

/* The resolver zk_reach_resolve uses (getaddrinfo; a test may put one that fails first). */
typedef int (*zk_reach_resolver)(const char *node, const char *service,
                                 const struct addrinfo *hints, struct addrinfo **res);
void zk_reach_set_resolver(zk_reach_resolver fn);

#endif
