/* mesos_flags.h - the settings of the mesos-master, mesos-agent and marathon roles, merged from
 * the operator's environment > packaging files > derived defaults into MESOS_* / MARATHON_*. */
#ifndef ZKINIT_MESOS_FLAGS_H
#define ZKINIT_MESOS_FLAGS_H

#include "mesos/mesos_settings.h"

#include <stddef.h>

/* --quorum for COUNT masters: a majority (COUNT/2+1). Pure. */
long mesos_quorum(long count);

/* ZooKeeper client hosts "h1:2181,h2:2181" from ZOO_SERVERS (`server.1=zk1:2888:3888;2181 ...`,
 * also `;clientaddr:port` and the 3.4 form without a client port, which gets DEFAULT_PORT).
 * Returns 0, or -1 with ERR filled. Pure. */
int mesos_hosts_from_zoo_servers(const char *servers, long default_port, char *out, size_t len,
                                 char *err, size_t errlen);

/* Builds every setting of ROLE: ENVP (the operator's environment: its MESOS_* or MARATHON_*
 * variables win), the files under SYSCONFDIR, then the derived defaults (which read ZK_HOSTS,
 * ZOO_SERVERS, ZOO_CLIENT_PORT, MESOS_MASTERS and HOST_IP from ENVP, and etcd through
 * ident_etcd_nodes when ETCD_ENDPOINTS is set). Returns 0, or an exit code (64 bad variable,
 * 65 bad file, 69 etcd unreachable) after logging one line naming the input. */
int mesos_settings_build(enum mesos_role role, char **envp, const char *sysconfdir,
                         struct settings *out);

#endif
