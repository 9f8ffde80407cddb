/* zk_ensemble.h - ZooKeeper server lines and ensembles (pure): what ZOO_SERVERS and getconfig's
 * answer list, in the 3.5+ form, and where a client reaches each server. */
#ifndef ZKINIT_ZK_ENSEMBLE_H
#define ZKINIT_ZK_ENSEMBLE_H

#include <stddef.h>

#define ZK_HOST_MAX 128
#define ZK_MAX_SERVERS 64
#define ZK_ROLE_MAX 12
#define ZK_VERSION_MAX 24
#define ZK_PATH_MAX 512

/* server.<id>=<host>:<quorum>:<election>:<role>;[<client_addr>:]<client_port> */
struct zk_server {
    int id;
    char host[ZK_HOST_MAX];
    int quorum_port;
    int election_port;
    char role[ZK_ROLE_MAX];        /* "participant" or "observer" */
    char client_addr[ZK_HOST_MAX]; /* "" when the line has none */
    int client_port;               /* 0 when the line has none */
};

/* A dynamic configuration: servers sorted by id, and the version getconfig reports ("" none). */
struct zk_ensemble {
    int n;
    struct zk_server s[ZK_MAX_SERVERS];
    char version[ZK_VERSION_MAX];
};

/* Parses one "server.N=..." entry (3.4 form without client port accepted). 0 or -1 with ERR. */
int zk_parse_server(const char *entry, struct zk_server *out, char *err, size_t errlen);
/* Parses whitespace-separated "server.N=..." entries and an optional "version=HEX" (ZOO_SERVERS
 * or getconfig's answer). Duplicate ids are an error. 0 or -1 with ERR naming the entry. */
int zk_parse_config(const char *text, struct zk_ensemble *out, char *err, size_t errlen);
/* The canonical 3.5+ line (no newline) into BUF. */
void zk_server_line(const struct zk_server *s, char *buf, size_t len);
/* 1 for a wildcard address: "", 0.0.0.0 or :: (any spelling ZooKeeper writes). */
int zk_is_wildcard(const char *a);
/* Where a client reaches S: its client address, or its host when that is a wildcard. */
void zk_client_hostport(const struct zk_server *s, char *buf, size_t len);
/* Index of ID in E, or -1. */
int zk_ensemble_find(const struct zk_ensemble *e, int id);
/* Adds S, replacing the entry with the same id; keeps E sorted. 0, or -1 when E is full. */
int zk_ensemble_put(struct zk_ensemble *e, const struct zk_server *s);
/* Removes ID if present. */
void zk_ensemble_remove(struct zk_ensemble *e, int id);
/* Same address, ports and client endpoint (an absent client address equals 0.0.0.0). */
int zk_same_endpoint(const struct zk_server *a, const struct zk_server *b);
/* The same endpoint and the same role: the line a server should have is the one it has. */
int zk_same_line(const struct zk_server *a, const struct zk_server *b);
/* Number of participants other than ID. */
int zk_other_participants(const struct zk_ensemble *e, int id);
/* "h1:p1,h2:p2" for the client endpoints of E's servers except SKIP_ID (0 = none). */
void zk_connect_string(const struct zk_ensemble *e, int skip_id, char *buf, size_t len);

#endif
