/* mesos_defaults.h - /etc/default/mesos, mesos-master, mesos-slave and marathon: the shell files
 * the Debian init scripts source. zkinit does not run them (they are shell code, e.g.
 * ZK=`cat /etc/mesos/zk`, and their LOGS/ULIMIT are for init scripts and syslog); it warns when
 * one sets more than the package ships, so that a setting is never lost without a word. */
#ifndef ZKINIT_MESOS_DEFAULTS_H
#define ZKINIT_MESOS_DEFAULTS_H

#include "mesos/mesos_settings.h"

#include <stddef.h>

/* One line of such a file: 1 with the variable's name in KEY when it assigns one that is not
 * the package's own default line (LOGS=/var/log/mesos, ULIMIT="-n 8192", PORT=5050,
 * ZK=`cat /etc/mesos/zk`, MASTER=`cat /etc/mesos/zk`); 0 for those, comments and blank lines.
 * Pure. */
int mesos_default_line(const char *line, char *key, size_t len);

/* Logs one warning per file of ROLE under SYSCONFDIR/default that sets something else, naming
 * the file and the variables. Never fails. */
void mesos_defaults_check(enum mesos_role role, const char *sysconfdir);

#endif
