/* health.h - `zkinit health [ROLE]`: is the local service serving? (0 yes, 1 no) */
#ifndef ZKINIT_HEALTH_H
#define ZKINIT_HEALTH_H

/* ZooKeeper: ruok/srvr over 4lw in a quorum role, else the AdminServer's /commands/ruok. */
int health_zookeeper(void);
/* mesos-master (/health on 5050), mesos-agent (/health on 5051), marathon (/ping on 8080). */
int health_http_service(const char *role);

#endif
