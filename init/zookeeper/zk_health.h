/* zk_health.h - `zkinit health` for the zookeeper role: is the local server serving? (0 yes, 1 no)
 */
#ifndef ZKINIT_ZK_HEALTH_H
#define ZKINIT_ZK_HEALTH_H

#include <stddef.h>

/* ZooKeeper: ruok/srvr over 4lw in a quorum role, else the AdminServer's /commands/ruok. */
int health_zookeeper(void);
/* Pure: where the server of zoo.cfg text CFG (and its dynamic file DYN, may be NULL) with id MYID
 * (0 unknown) takes client connections: clientPortAddress/clientPort, or server.MYID's client
 * part; a wildcard address becomes 127.0.0.1. HOST and PORT keep their value for what is not
 * found. 1 when something was found. */
int health_listen_address(const char *cfg, const char *dyn, int myid, char *host, size_t hlen,
                          long *port);

#endif
