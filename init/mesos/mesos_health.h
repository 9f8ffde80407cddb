/* mesos_health.h - `zkinit health` for the Mesos and Marathon roles: does the local service answer
 * its health endpoint? (0 yes, 1 no) */
#ifndef ZKINIT_MESOS_HEALTH_H
#define ZKINIT_MESOS_HEALTH_H

/* mesos-master (/health on 5050), mesos-agent (/health on 5051), marathon (/ping on 8080). */
int health_http_service(const char *role);

#endif
