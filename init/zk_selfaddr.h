/* zk_selfaddr.h - is the address in this server's line still this node's? After `docker network
 * disconnect`/`connect` a container gets a new address while ZooKeeper keeps its election port on
 * the old one and never rejoins: the health check says so, the orchestrator restarts it, and the
 * start plan rejoins it with its new line. */
#ifndef ZKINIT_ZK_SELFADDR_H
#define ZKINIT_ZK_SELFADDR_H

/* 1 when HOST (an address or a name) can be bound here, 0 when it is no address of this node
 * (EADDRNOTAVAIL), -1 when that cannot be told (does not resolve, a wildcard, another error). */
int zk_address_is_local(const char *host);

#endif
