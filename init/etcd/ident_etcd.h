/* ident_etcd.h - the etcd side of identity: find, allocate or move this node's registration
 * (ETCD_ENDPOINTS, ETCD_PREFIX, ETCD_API), read the whole registry, list the registered nodes,
 * release a stale claim. */
#ifndef ZKINIT_IDENT_ETCD_H
#define ZKINIT_IDENT_ETCD_H

#include "etcd/ident_reg.h"

struct ident_request {
    const char *address; /* canonical */
    const char *name;    /* the stable node name, or "" (then the key is address + port) */
    long client_port;
    int preferred;   /* the myid file's id (proves ownership), or 0 */
    int fallback_ok; /* etcd unreachable: the caller has a plan B (logs it itself) */
};

struct ident_grant {
    int set; /* 0: etcd not configured */
    int id;
    char key[IDENT_KEY_MAX];         /* the registration key */
    char moved_from[IDENT_ADDR_MAX]; /* the registration's address before this start, or "" */
    char endpoints[1024];            /* for messages (passwords masked) */
};

/* Returns 0 (OUT->set 0 when ETCD_ENDPOINTS is unset), or an exit code after logging (69 when
 * etcd cannot be reached; with FALLBACK_OK that line is at debug level). */
int ident_etcd_allocate(const struct ident_request *rq, struct ident_grant *out);

/* Reads every key of the registry into R. 0 with *ENABLED 0 when etcd is not configured. */
int ident_etcd_registry(struct ident_registry *r, int *enabled);

/* Deletes the claim ids/ID and the registration that names ID (only while they still hold what
 * was read). 0 with *FOUND 0 when neither exists. */
int ident_etcd_release(int id, int *found);

/* A node registered in etcd under <prefix>/nodes/<key>/id (KEY: a name or address[:port]). */
struct ident_node {
    int id;
    char address[IDENT_ADDR_MAX]; /* canonical */
    char key[IDENT_ADDR_MAX];
    int client_port; /* from an address:port key; 0: not recorded (the default 2181) */
    int claimed;     /* <prefix>/ids/<id> names this registration (0: legacy layout) */
};

/* Lists the nodes registered in etcd (ETCD_ENDPOINTS, ETCD_PREFIX, ETCD_API), sorted by id: all
 * registrations are read; when there are more than MAX, the MAX lowest ids are kept (warning).
 * Returns 0 with *COUNT set (0 when ETCD_ENDPOINTS is unset), or an exit code after logging. */
int ident_etcd_nodes(struct ident_node *nodes, int max, int *count);

#endif
