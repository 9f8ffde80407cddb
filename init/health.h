/* health.h - `zkinit health [ROLE]`: is the local service serving? (0 yes, 1 no) */
#ifndef ZKINIT_HEALTH_H
#define ZKINIT_HEALTH_H

#include <stddef.h>

/* ZooKeeper: ruok/srvr over 4lw in a quorum role, else the AdminServer's /commands/ruok. */
int health_zookeeper(void);
/* Pure: where the server of zoo.cfg text CFG (and its dynamic file DYN, may be NULL) with id MYID
 * (0 unknown) takes client connections: clientPortAddress/clientPort, or server.MYID's client
 * part; a wildcard address becomes 127.0.0.1. HOST and PORT keep their value for what is not
 * found. 1 when something was found. */
int health_listen_address(const char *cfg, const char *dyn, int myid, char *host, size_t hlen,
                          long *port);
/* mesos-master (/health on 5050), mesos-agent (/health on 5051), marathon (/ping on 8080). */
int health_http_service(const char *role);

#endif
