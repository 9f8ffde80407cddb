/* ident_etcd.h - the etcd side of identity: find, allocate or move this node's registration
 * (ETCD_ENDPOINTS, ETCD_PREFIX, ETCD_API), read the whole registry, release a stale claim. */
#ifndef ZKINIT_IDENT_ETCD_H
#define ZKINIT_IDENT_ETCD_H

#include "ident.h"
#include "ident_reg.h"

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

#endif
