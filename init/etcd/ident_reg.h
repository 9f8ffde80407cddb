/* ident_reg.h - the etcd registry of ZooKeeper ids as data (pure, unit tested): registration
 * keys (a stable node name, or the canonical address plus the client port), what is read under
 * <prefix>/ (claims ids/<n>, registrations nodes/<key>/id and /address, pending claimants), and
 * which free id a new node takes. */
#ifndef ZKINIT_IDENT_REG_H
#define ZKINIT_IDENT_REG_H

#include <stddef.h>

#define IDENT_KEY_MAX 64
#define IDENT_ADDR_MAX 64 /* a canonical address (inet_ntop) */
#define IDENT_ID_MAX 255
#define IDENT_REG_MAX 512
#define IDENT_PENDING_MAX 256
#define IDENT_DEFAULT_CLIENT_PORT 2181

/* A registration <prefix>/nodes/<raw>/id = id. KEY is RAW in canonical form (address keys). */
struct ident_reg_entry {
    char raw[IDENT_KEY_MAX], key[IDENT_KEY_MAX];
    int id;                        /* 0: no id key (yet), -1: not a number 1..255 */
    char address[IDENT_KEY_MAX];   /* from the key, or nodes/<raw>/address for a name ("" none) */
    char stored[IDENT_KEY_MAX];    /* nodes/<raw>/address as stored ("" none) */
    int client_port;               /* from an address key with a port, else 0 */
    char bad_value[IDENT_KEY_MAX]; /* the id key's value when it is not a number */
};

/* A claimant that waits for an id: pending/<x> = "<key>[ <unix ms>]", ranked by the revision it
 * got. One with a time older than IDENT_TICKET_MS (a start that died) does not count. */
#define IDENT_TICKET_MS 30000
struct ident_pending {
    char key[IDENT_KEY_MAX];
    long long rev;
};

struct ident_registry {
    char prefix[256];                                /* "<prefix>/" */
    char claim_raw[IDENT_ID_MAX + 1][IDENT_KEY_MAX]; /* ids/<n> as stored ("" free) */
    char claim[IDENT_ID_MAX + 1][IDENT_KEY_MAX];     /* the same, canonical */
    struct ident_reg_entry regs[IDENT_REG_MAX];
    int nregs;
    struct ident_pending pending[IDENT_PENDING_MAX];
    int npending;
    int dropped;      /* entries that did not fit */
    long long now_ms; /* wall clock of the reader, for the tickets' age */
};

/* Empties R for the keys under PREFIX (no trailing '/'), read at wall-clock time NOW_MS. */
void ident_reg_init(struct ident_registry *r, const char *prefix, long long now_ms);
/* Forgets the claims and tickets (read again soon), keeps the registrations: those of the older
 * layout have no claim and still count as taken. */
void ident_reg_forget_claims(struct ident_registry *r, long long now_ms);
/* etcd_kv_fn: files one key read under the prefix (others are ignored). Always returns 0. */
int ident_reg_add(const char *key, const char *value, long long rev, void *arg);

/* The registration of KEY (canonical) with an id key, or NULL. */
const struct ident_reg_entry *ident_reg_find(const struct ident_registry *r, const char *key);
/* The first registration (other than of EXCEPT, may be NULL) that names ID, or NULL. */
const struct ident_reg_entry *ident_reg_with_id(const struct ident_registry *r, int id,
                                                const char *except);
/* 1 when ID is claimed or named by any registration (the legacy layout has no claims). */
int ident_reg_taken(const struct ident_registry *r, int id);
/* The smallest id claimed by KEY, or 0. */
int ident_reg_claimed_by(const struct ident_registry *r, const char *key);
/* KEY's place among the claimants still waiting (not claimed, not registered), by revision:
 * 0 = first. -1 when KEY is not pending. */
int ident_reg_rank(const struct ident_registry *r, const char *key);
/* The RANK-th smallest free id (0-based; past the end: the largest free one), or 0 if none. */
int ident_reg_pick(const struct ident_registry *r, int rank);

/* The registration key: NAME when not NULL/empty, else ADDR (canonical) for the default client
 * port, "ADDR:PORT" (IPv4) or "[ADDR]:PORT" (IPv6) for another. 0, or -1 when it does not fit. */
int ident_reg_key(const char *name, const char *addr, long port, char *out, size_t len);
/* An address key ("a", "a:p", "[a6]:p"): 0 with the canonical address and the port (0 when none)
 * in OUT, or -1 when KEY is a node name. */
int ident_key_address(const char *key, char *addr, size_t alen, int *port);
/* KEY in canonical form: an address key's address canonicalised, a name as is. */
void ident_key_canonical(const char *key, char *out, size_t len);
/* 1 when S may be a node name: 1..63 of [A-Za-z0-9._-], starting with a letter or digit, and
 * not an address. */
int ident_name_ok(const char *s);
/* 1 when the host name looks like a random container id (12 or 64 hex digits). */
int ident_hostname_is_random(const char *host);

#endif
