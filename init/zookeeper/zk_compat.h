/* zk_compat.h - pure helpers that make the official image's and Bitnami's variables mean what they
 * mean there: ZOO_CFG_EXTRA as a list of key=value words, Bitnami's ZOO_SERVERS forms and
 * ZOO_CFG_<KEY> names, and this server's own entry in the seed list. No I/O. */
#ifndef ZKINIT_ZK_COMPAT_H
#define ZKINIT_ZK_COMPAT_H

#include <stddef.h>

/* Every blank- or newline-separated word of EXTRA is KEY=VALUE with a non-empty key (a newline
 * inside a key=value leaves a word without '=': configuration injection). 0, or -1 with ERR. */
int zk_extra_check(const char *extra, char *err, size_t errlen);
/* The value of the last KEY=... word of EXTRA into VAL. 1 found, 0 not. */
int zk_extra_get(const char *extra, const char *key, char *val, size_t vlen);

/* Bitnami's ZOO_SERVERS ("host:q:e[:role][::id]" separated by ',' ';' or blanks; without ::id
 * the position is the id) as official entries "server.ID=host:q:e[:role];CLIENT_PORT" into OUT.
 * Returns 1 converted, 0 when IN already is the official form (left alone), -1 with ERR. */
int zk_bitnami_servers(const char *in, long client_port, char *out, size_t len, char *err,
                       size_t errlen);

/* The zoo.cfg key for the variable ZOO_CFG_<SUFFIX>: SUFFIX as is when it holds a lowercase
 * letter (ZOO_CFG_maxCnxns), else UPPER_SNAKE to camelCase with "__" as '.'
 * (ZOO_CFG_QUORUM__AUTH__ENABLE_SASL -> quorum.auth.enableSasl). 0, or -1 when unusable. */
int zk_cfg_key(const char *suffix, char *out, size_t len);

/* In the official-form SERVERS list: the role of server.ID ("participant"/"observer") into ROLE.
 * 1 listed, 0 not. */
int zk_servers_role(const char *servers, int id, char *role, size_t rlen);
/* SERVERS with server.ID's address replaced by ADDRESS when it is a wildcard (0.0.0.0, ::) into
 * OUT. Returns 1 replaced, 0 unchanged (OUT is a copy), -1 when OUT is too small. */
int zk_servers_fix_self(const char *servers, int id, const char *address, char *out, size_t len);

#endif
