/* zk_super.h - the super user whose password keeps ACLs on in membership mode: the password from
 * ZOO_SUPER_PASSWORD[_FILE], else generated once and kept in etcd, else membership only with an
 * explicit ZOO_SKIP_ACL=yes (otherwise the official image's static behaviour); and the JVM
 * argument file that carries its digest (never argv, never the environment). */
#ifndef ZKINIT_ZK_SUPER_H
#define ZKINIT_ZK_SUPER_H

#include "zookeeper/zk_config.h"

#include <stddef.h>

/* Decides ST->reconfig / ST->skip_acl / the standalone default, and fills PASSWORD (*HAVE 1) when
 * there is one; the secret variable is removed from the environment. 0, or an exit code after
 * logging one line. */
int zk_super_setup(struct zk_settings *st, char *password, size_t len, int *have);

/* The java @argfile for PASSWORD's superDigest: DATA_DIR/.zkinit-jvm-secret.args, mode 0600
 * (PASSWORD NULL: the file is removed). PATH gets its name. 0, or 64/65 after logging. */
int zk_super_argfile(const char *data_dir, const char *password, char *path, size_t len);

#endif
