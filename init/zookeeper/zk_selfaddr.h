/* zk_selfaddr.h - is the address in this server's line still this node's? After `docker network
 * disconnect`/`connect` a container gets a new address while ZooKeeper keeps its election port on
 * the old one and never rejoins: the health check says so, the orchestrator restarts it, and the
 * start plan rejoins it with its new line. */
#ifndef ZKINIT_ZK_SELFADDR_H
#define ZKINIT_ZK_SELFADDR_H

/* 1 when HOST (an address or a name) can be bound here, 0 when it is no address of this node
 * (EADDRNOTAVAIL), -1 when that cannot be told (does not resolve, a wildcard, another error). */
int zk_address_is_local(const char *host);

/* Pure: the local addresses with a socket in LISTEN state on PORT in TEXT, the content of
 * /proc/net/tcp (V6 0) or /proc/net/tcp6 (V6 1), as numeric strings into OUT (MAX entries of
 * 64 bytes). Returns how many. */
int zk_listeners_parse(const char *text, int v6, int port, char out[][64], int max);

/* 1 when a socket listens on PORT at an address this node still has (or a wildcard), 0 when
 * every listener on PORT is at an address it no longer has, -1 when nothing listens there or
 * /proc cannot tell. */
int zk_port_listens_here(int port);

#endif
