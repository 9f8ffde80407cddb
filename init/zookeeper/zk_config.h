/* zk_config.h - ZooKeeper configuration as the official image writes it (zoo.cfg, server lines in
 * the 3.5+ form) plus zkinit's dynamic-membership files. */
#ifndef ZKINIT_ZK_CONFIG_H
#define ZKINIT_ZK_CONFIG_H

#include "zkclient/zk_ensemble.h"

#include <stddef.h>

/* Everything zoo.cfg is made of. Strings are borrowed (from the environment). */
struct zk_settings {
    const char *conf_dir, *data_dir, *data_log_dir, *log_dir;
    long tick_time, init_limit, sync_limit, max_client_cnxns;
    long purge_interval, snap_retain_count;
    int standalone_enabled, admin_enabled;
    const char *fourlw_whitelist; /* never NULL */
    const char *cfg_extra;        /* ZOO_CFG_EXTRA, may be NULL */
    const char *servers;          /* ZOO_SERVERS, may be NULL */
    int reconfig;                 /* ZOO_RECONFIG */
    int skip_acl;                 /* no super password: skipACL=yes (reconfig mode only) */
    long client_port, quorum_port, election_port;
    const char *client_address;
    const char *peer_type;    /* participant | observer */
    const char *dynamic_path; /* reconfig mode: the dynamic file zoo.cfg names (NULL: default) */
    int fourlw_set;           /* ZOO_4LW_COMMANDS_WHITELIST was set (else: official default) */
    int standalone_set;       /* ZOO_STANDALONE_ENABLED was set */
    int peer_type_set;        /* ZOO_PEER_TYPE (or peerType in ZOO_CFG_EXTRA) was set */
    int listen_all_ips;       /* quorumListenOnAllIPs=true */
    const char *extra_lines;  /* "key=value\n" lines from ZOO_CFG_<KEY> and aliases, never NULL */
};

/* Reads the official image's, Bitnami's and zkinit's variables with their defaults (zk_env.c).
 * Returns 0, or -1 after logging the variable that is wrong (the caller exits 64). */
int zk_settings_from_env(struct zk_settings *st);
/* Once this server's ID and ADDRESS are known: its role from its seed-list entry (unless
 * ZOO_PEER_TYPE says), and in membership mode a wildcard address in that entry becomes ADDRESS
 * plus quorumListenOnAllIPs=true (zk_env.c). */
void zk_settings_adopt_self(struct zk_settings *st, int id, const char *address);

/* This server's line from the settings: ID at ADDRESS with ROLE. */
void zk_self_server(const struct zk_settings *st, int id, const char *address, const char *role,
                    struct zk_server *out);

/* zoo.cfg text (malloc'd). Static mode: the official image's file, server lines from ZOO_SERVERS
 * (or SELF's line when unset). Reconfig mode: the same settings, reconfigEnabled and
 * dynamicConfigFile instead of server lines. */
char *zk_render_static(const struct zk_settings *st, const struct zk_server *self);
/* Dynamic config file text (malloc'd): one server line per entry (no version line). */
char *zk_render_dynamic(const struct zk_ensemble *e);
/* $ZOO_DATA_DIR/zkinit: the membership state, the zoo.cfg ZooKeeper runs with and its dynamic
 * files, all in the data volume. */
void zk_state_dir(const struct zk_settings *st, char *buf, size_t len);
/* Server lines and a last "version=" line when E has a version: the text getconfig answers
 * (malloc'd). */
char *zk_render_config(const struct zk_ensemble *e);
/* Path of the dynamic config file zkinit writes (in the data volume, beside the zoo.cfg that
 * ZooKeeper runs with and rewrites). */
void zk_dynamic_path(const struct zk_settings *st, char *buf, size_t len);

/* superDigest value for PASSWORD: "super:" + base64(sha1("super:" + PASSWORD)). */
void zk_super_digest(const char *password, char *buf, size_t len);

#endif
