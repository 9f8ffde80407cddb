/* zk_jaas.h - Bitnami's ZOO_ENABLE_AUTH: SASL digest users for clients (ZOO_SERVER_USERS /
 * ZOO_SERVER_PASSWORDS) and the client identity (ZOO_CLIENT_USER / ZOO_CLIENT_PASSWORD) as a JAAS
 * file of mode 0600 in the data directory; the JVM gets only its path. */
#ifndef ZKINIT_ZK_JAAS_H
#define ZKINIT_ZK_JAAS_H

#include <stddef.h>

/* Pure: the JAAS text for USERS and PASSWORDS (lists separated by ',' ';' or blanks, same length)
 * and the client CLIENT_USER/CLIENT_PASSWORD (NULL: no Client section) into OUT. 0, or -1 with
 * ERR (never quoting a password). */
int zk_jaas_render(const char *users, const char *passwords, const char *client_user,
                   const char *client_password, char *out, size_t len, char *err, size_t errlen);

/* With ZOO_ENABLE_AUTH=yes: writes DATA_DIR/.zkinit-jaas.conf (0600), adds its
 * -Djava.security.auth.login.config to SERVER_JVMFLAGS, sets *ENABLED, and removes the password
 * variables from the environment. 0, or 64/65 after logging one line. */
int zk_jaas_setup(const char *data_dir, int *enabled);

#endif
