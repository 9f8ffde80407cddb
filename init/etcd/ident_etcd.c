/* ident_etcd.c - the etcd side of identity (see ident_etcd.h). Keys under <prefix>/:
 *   ids/<n> = <key>            the claim of id n (created only if absent: one owner per id)
 *   nodes/<key>/id = n         the registration; <key> is a node name or address[:port]
 *   nodes/<name>/address = a   a named node's address (data that may change)
 *   pending/<key> = "<key> <ms>"  a ticket of a start waiting for an id (v2: pending/<index> =
 *                              <key>, with a TTL); it stops counting after 30 s
 * v3: the first read of a start that is not registered puts its ticket (one transaction); its
 * rank among the waiting tickets (by revision) picks the free id, claimed together with the
 * registration in one transaction whose failure returns the fresh state. v2 (single-key writes):
 * a first claim of the smallest free id; a start that lost it puts a ticket and claims by rank.
 * So concurrent starts do not all contend for the same smallest id.
 * ZKINIT_ETCD_ALLOC=linear keeps the older one-id-after-the-other algorithm (for benchmarks). */
#include "etcd/ident_etcd.h"

#include "etcd/etcd.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TICKET_TTL_S 30 /* v2: a crashed start's ticket expires (v3: IDENT_TICKET_MS) */
#define MAX_ROUNDS 300  /* claim attempts; each one follows a change by another start */
#define KEY_MAX (ETCD_PREFIX_MAX + IDENT_KEY_MAX + 32)

struct alloc {
    struct etcd_client *c;
    const char *prefix;
    const struct ident_request *rq;
    const char *key; /* canonical registration key */
    int is_name, has_txn, linear;
    struct ident_registry *reg;
    struct ident_grant *out;
};

static void path(char *out, const struct alloc *a, const char *what, const char *key)
{
    snprintf(out, KEY_MAX, "%s/%s/%s", a->prefix, what, key);
}

static void node_path(char *out, const struct alloc *a, const char *key, const char *leaf)
{
    snprintf(out, KEY_MAX, "%s/nodes/%s/%s", a->prefix, key, leaf);
}

static void id_path(char *out, const struct alloc *a, int id)
{
    snprintf(out, KEY_MAX, "%s/ids/%d", a->prefix, id);
}

/* Wall-clock milliseconds: a ticket's birth time, comparable between hosts (NTP). */
static long long wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int read_registry(struct etcd_client *c, const char *prefix, struct ident_registry *r)
{
    char p[ETCD_PREFIX_MAX + 2];
    ident_reg_init(r, prefix, wall_ms());
    snprintf(p, sizeof p, "%s/", prefix);
    return etcd_list(c, p, ident_reg_add, r);
}

static int conflict(const char *key, const char *value, int id, const char *mine)
{
    log_error("etcd gives this node's id to another node",
              "key=\"%s\" value=\"%s\" id=%d node=%s hint=\"two nodes share an id; fix the keys "
              "or release the stale one (zkinit id --release ID)\"",
              key, value, id, mine);
    return EXIT_CONFIG;
}

/* Makes sure ids/<id> names this node (creates it if absent). 0 or an exit code. */
static int ensure_claim(struct alloc *a, int id)
{
    char key[KEY_MAX], existing[ETCD_VALUE_MAX], canon[IDENT_KEY_MAX];
    id_path(key, a, id);
    int created;
    int rc = etcd_create(a->c, key, a->key, &created, existing, sizeof existing);
    if (rc != 0 || created)
        return rc;
    ident_key_canonical(existing, canon, sizeof canon);
    return strcmp(canon, a->key) == 0 ? 0 : conflict(key, existing, id, a->key);
}

/* A named node's address: nodes/<name>/address = address (compare-and-swap from what was read). */
static int put_address(struct alloc *a, const char *raw, const char *stored)
{
    char key[KEY_MAX];
    node_path(key, a, raw, "address");
    int swapped;
    int rc = etcd_replace(a->c, key, stored, a->rq->address, &swapped);
    if (rc == 0 && !swapped) {
        log_error("another start changed this node's address in etcd at the same time",
                  "key=\"%s\" node=%s hint=\"two servers use one ZOO_NODE_NAME; give each its "
                  "own\"",
                  key, a->key);
        return EXIT_CONFIG;
    }
    return rc;
}

/* The id in a registration's value. */
static int value_id(const char *key, const char *value, int *id)
{
    long v;
    if (parse_long(value, 1, IDENT_ID_MAX, &v) == 0) {
        *id = (int)v;
        return 0;
    }
    log_error("bad id in etcd",
              "key=\"%s\" value=\"%.40s\" hint=\"it must be a number from 1 to 255; fix or delete "
              "the key\"",
              key, value);
    return EXIT_CONFIG;
}

/* Registers this node under CLAIMED (already claimed) with separate writes (v2, linear). If
 * another start with the same key registered first, takes its id and releases CLAIMED. */
static int register_node(struct alloc *a, int claimed, int *id)
{
    char key[KEY_MAX], val[ETCD_VALUE_MAX], idtext[8];
    int rc = 0, created;
    if (a->is_name) {
        node_path(key, a, a->key, "address");
        rc = etcd_create(a->c, key, a->rq->address, &created, val, sizeof val);
        if (rc == 0 && !created && strcmp(val, a->rq->address) != 0)
            rc = put_address(a, a->key, val);
        if (rc != 0)
            return rc;
    }
    node_path(key, a, a->key, "id");
    snprintf(idtext, sizeof idtext, "%d", claimed);
    rc = etcd_create(a->c, key, idtext, &created, val, sizeof val);
    if (rc != 0 || created || strcmp(val, idtext) == 0) {
        *id = claimed;
        return rc;
    }
    if ((rc = value_id(key, val, id)) != 0)
        return rc;
    char claim[KEY_MAX];
    id_path(claim, a, claimed);
    log_info("another start registered this node first; releasing our claim",
             "node=%s id=%d released=%d", a->key, *id, claimed);
    rc = etcd_delete_if(a->c, claim, a->key);
    return rc ? rc : ensure_claim(a, *id);
}

/* v3: claims ID and registers this node in one transaction (and deletes its ticket). OLD_CLAIM:
 * what ids/<id> must hold now (NULL: absent); OLD_RAW: a registration to delete with it (a move),
 * or NULL. On failure the registry is refilled with the state the transaction saw. */
static int claim_txn(struct alloc *a, int id, const char *old_claim, const char *old_raw, int *ok)
{
    /* Copies: the arguments may point into the registry, which is refilled below. */
    struct {
        char claim[KEY_MAX], node[KEY_MAX], addr[KEY_MAX], ticket[KEY_MAX];
        char old_id[KEY_MAX], old_addr[KEY_MAX], ids[KEY_MAX], tickets[KEY_MAX], mine[KEY_MAX];
        char idtext[8];
        char was[IDENT_KEY_MAX];
    } k;
    struct etcd_txn t = {0};
    snprintf(k.was, sizeof k.was, "%s", old_claim ? old_claim : "");
    id_path(k.claim, a, id);
    node_path(k.node, a, a->key, "id");
    node_path(k.addr, a, a->key, "address");
    path(k.ticket, a, "pending", a->key);
    node_path(k.old_id, a, old_raw ? old_raw : "", "id");
    node_path(k.old_addr, a, old_raw ? old_raw : "", "address");
    snprintf(k.idtext, sizeof k.idtext, "%d", id);
    snprintf(k.ids, sizeof k.ids, "%s/ids/", a->prefix);
    snprintf(k.tickets, sizeof k.tickets, "%s/pending/", a->prefix);
    node_path(k.mine, a, a->key, "");
    t.cmps[t.ncmps++] = (struct etcd_cmp){k.claim, old_claim ? k.was : NULL};
    t.cmps[t.ncmps++] = (struct etcd_cmp){k.node, NULL};
    t.puts[t.nputs++] = (struct etcd_put){k.claim, a->key};
    t.puts[t.nputs++] = (struct etcd_put){k.node, k.idtext};
    if (a->is_name)
        t.puts[t.nputs++] = (struct etcd_put){k.addr, a->rq->address};
    t.dels[t.ndels++] = k.ticket;
    if (old_raw) {
        t.dels[t.ndels++] = k.old_id;
        t.dels[t.ndels++] = k.old_addr;
    }
    /* The fresh state on failure: claims, tickets and this node's own registration (others
     * register with a claim; the older layout's registrations were read at the start). */
    t.ranges[t.nranges++] = k.ids;
    t.ranges[t.nranges++] = k.tickets;
    t.ranges[t.nranges++] = k.mine;
    ident_reg_forget_claims(a->reg, wall_ms());
    return etcd_txn(a->c, &t, ident_reg_add, a->reg, ok);
}

/* This node is registered (entry E): check its claim, move a named node's address. */
static int reuse(struct alloc *a, const struct ident_reg_entry *e)
{
    char key[KEY_MAX];
    int id = e->id;
    node_path(key, a, e->raw, "id");
    if (id < 1 || id > IDENT_ID_MAX)
        return value_id(key, e->bad_value, &a->out->id);
    char owner[IDENT_KEY_MAX], owner_raw[IDENT_KEY_MAX];
    snprintf(owner, sizeof owner, "%s", a->reg->claim[id]);
    snprintf(owner_raw, sizeof owner_raw, "%s", a->reg->claim_raw[id]);
    id_path(key, a, id);
    if (owner[0] && strcmp(owner, a->key) != 0)
        return conflict(key, owner_raw, id, a->key);
    int rc = owner[0] ? 0 : ensure_claim(a, id);
    if (rc == 0 && a->is_name && strcmp(e->address, a->rq->address) != 0) {
        rc = put_address(a, e->raw, e->stored[0] ? e->stored : NULL);
        if (rc == 0) {
            log_info("this node's address changed; its registration follows",
                     "node=%s id=%d from=%s to=%s", a->key, id, e->address[0] ? e->address : "-",
                     a->rq->address);
            snprintf(a->out->moved_from, sizeof a->out->moved_from, "%s", e->address);
        }
    }
    a->out->id = id;
    return rc;
}

/* v2 or linear: claims ID with a create-if-absent; *OK 0 when another node holds it. Ranked v2
 * does not read who holds it (a start of this same node: its registration settles it later). */
static int claim_single(struct alloc *a, int id, int *ok)
{
    char key[KEY_MAX], existing[ETCD_VALUE_MAX] = "", canon[IDENT_KEY_MAX];
    id_path(key, a, id);
    int created;
    int rc = etcd_create(a->c, key, a->key, &created, existing,
                         a->linear || a->rq->preferred ? sizeof existing : 0);
    ident_key_canonical(existing, canon, sizeof canon);
    *ok = rc == 0 && (created || strcmp(canon, a->key) == 0);
    if (rc == 0 && !*ok)
        log_debug("id taken, trying another", "id=%d owner=%s", id, existing);
    return rc;
}

/* Moves the registration of ID (its key OLD_KEY, raw OLD_RAW, claim OLD_CLAIM as stored or NULL)
 * to this node, which proved that it owns it (REASON). Only an address key moves: a name is
 * another node's. */
static int move(struct alloc *a, int id, const char *old_key, const char *old_raw,
                const char *old_claim, const char *old_addr, const char *reason)
{
    char addr[IDENT_KEY_MAX], key[KEY_MAX], from[IDENT_KEY_MAX];
    int port, ok = 0, rc;
    /* The arguments may point into the registry, which the claim refills. */
    snprintf(from, sizeof from, "%s", old_addr && *old_addr ? old_addr : "");
    id_path(key, a, id);
    if (ident_key_address(old_key, addr, sizeof addr, &port) != 0) {
        log_error("the myid file's id belongs to another node name in etcd",
                  "key=\"%s\" value=\"%s\" id=%d node=%s hint=\"set ZOO_NODE_NAME=%s if this is "
                  "that node; else remove the stale myid file, or release the id (zkinit id "
                  "--release %d)\"",
                  key, old_key, id, a->key, old_key, id);
        return EXIT_CONFIG;
    }
    log_warn("moving a registration to this node", "id=%d from=%s to=%s reason=%s", id, old_key,
             a->key, reason);
    if (a->has_txn && !a->linear) {
        rc = claim_txn(a, id, old_claim, old_raw, &ok);
    } else {
        rc = old_claim ? etcd_replace(a->c, key, old_claim, a->key, &ok) : claim_single(a, id, &ok);
        if (rc == 0 && ok)
            rc = register_node(a, id, &a->out->id);
        if (rc == 0 && ok && a->out->id == id && old_raw) {
            char idtext[8];
            snprintf(idtext, sizeof idtext, "%d", id);
            node_path(key, a, old_raw, "id");
            rc = etcd_delete_if(a->c, key, idtext);
        }
    }
    if (rc == 0 && !ok) {
        log_error("another start changed the registration of this id at the same time",
                  "id=%d node=%s hint=\"two servers use one data directory?\"", id, a->key);
        return EXIT_CONFIG;
    }
    a->out->id = id;
    snprintf(a->out->moved_from, sizeof a->out->moved_from, "%s", from[0] ? from : addr);
    return rc;
}

/* Not registered, with a myid file: that id is this node's (claimed fresh, or moved here). */
static int take_preferred(struct alloc *a)
{
    int id = a->rq->preferred;
    const char *owner = a->reg->claim[id];
    const struct ident_reg_entry *other = ident_reg_with_id(a->reg, id, a->key);
    if (other && owner[0] && strcmp(owner, other->key) != 0) {
        char key[KEY_MAX];
        id_path(key, a, id);
        return conflict(key, a->reg->claim_raw[id], id, other->key);
    }
    if (other || (owner[0] && strcmp(owner, a->key) != 0))
        return move(a, id, other ? other->key : owner, other ? other->raw : NULL,
                    owner[0] ? a->reg->claim_raw[id] : NULL, other ? other->address : NULL,
                    "the-myid-file-holds-this-id");
    int ok = 0, rc;
    if (a->has_txn && !a->linear)
        rc = claim_txn(a, id, owner[0] ? a->reg->claim_raw[id] : NULL, NULL, &ok);
    else
        rc = claim_single(a, id, &ok);
    if (rc == 0 && !ok) {
        log_error("another start took the myid file's id at the same time",
                  "id=%d node=%s hint=\"two servers use one data directory?\"", id, a->key);
        return EXIT_CONFIG;
    }
    a->out->id = id;
    if (rc == 0 && !(a->has_txn && !a->linear))
        rc = register_node(a, id, &a->out->id);
    return rc;
}

/* One decision on the registry read last: 1 when this node's id is settled there (*RC says how
 * it ended), 0 when an id still has to be claimed. */
static int settled(struct alloc *a, int *rc)
{
    const struct ident_reg_entry *e = ident_reg_find(a->reg, a->key);
    if (e) {
        *rc = reuse(a, e);
        return 1;
    }
    if (a->rq->preferred) {
        *rc = take_preferred(a);
        return 1;
    }
    char akey[IDENT_KEY_MAX];
    if (a->is_name &&
        ident_reg_key(NULL, a->rq->address, a->rq->client_port, akey, sizeof akey) == 0 &&
        (e = ident_reg_find(a->reg, akey)) != NULL && e->id > 0) {
        /* Registered by its address before it had a name: the same node, adopted. */
        const char *claim = a->reg->claim_raw[e->id];
        *rc = move(a, e->id, e->key, e->raw, claim[0] ? claim : NULL, e->address,
                   "registered-by-address-before");
        return 1;
    }
    int n = ident_reg_claimed_by(a->reg, a->key); /* an earlier start stopped after its claim */
    if (n && a->has_txn && !a->linear) {
        int ok;
        *rc = claim_txn(a, n, a->reg->claim_raw[n], NULL, &ok);
        if (*rc == 0 && !ok)
            return 0; /* changed meanwhile: decide again on the fresh state */
        a->out->id = n;
        return 1;
    }
    if (n) {
        *rc = register_node(a, n, &a->out->id);
        return 1;
    }
    return 0;
}

static int none_free(const struct alloc *a)
{
    log_error("no free ZooKeeper id in etcd (1..255 all claimed or registered)",
              "key=\"%s/ids/\" hint=\"release the ids of nodes that are gone: zkinit id --nodes, "
              "zkinit id --release ID\"",
              a->prefix);
    return EXIT_CONFIG;
}

/* Today's algorithm before ranking: the smallest free id, then the next, one create each. */
static int alloc_linear(struct alloc *a)
{
    for (int n = 1; n <= IDENT_ID_MAX; n++) {
        int ok = 0;
        if (ident_reg_taken(a->reg, n))
            continue;
        int rc = claim_single(a, n, &ok);
        if (rc != 0)
            return rc;
        if (ok)
            return register_node(a, n, &a->out->id);
    }
    return none_free(a);
}

/* The id this start tries: the free one of its rank among the waiting starts (before it has a
 * ticket: after all of them). */
static int next_pick(const struct alloc *a, int *rank)
{
    *rank = ident_reg_rank(a->reg, a->key);
    if (*rank < 0) {
        *rank = 0;
        for (int i = 0; i < a->reg->npending; i++)
            *rank += !ident_reg_claimed_by(a->reg, a->reg->pending[i].key) &&
                     !ident_reg_find(a->reg, a->reg->pending[i].key);
    }
    return ident_reg_pick(a->reg, *rank);
}

static int too_many_rounds(const struct alloc *a)
{
    log_error("no id after many attempts (etcd changes all the time?)", "node=%s", a->key);
    return EXIT_UNAVAILABLE;
}

/* v3: the first read put this start's ticket; its rank among the waiting tickets picks the id,
 * claimed with the registration in one transaction whose failure returns the fresh state. */
static int alloc_ranked_v3(struct alloc *a)
{
    for (int round = 0; round < MAX_ROUNDS; round++) {
        int rc, ok = 0, rank;
        if (round > 0 && settled(a, &rc))
            return rc;
        int n = next_pick(a, &rank);
        if (!n)
            return none_free(a);
        if ((rc = claim_txn(a, n, NULL, NULL, &ok)) != 0)
            return rc;
        if (ok) {
            a->out->id = n;
            return 0;
        }
        log_debug("id taken, trying another", "id=%d rank=%d round=%d", n, rank, round);
    }
    return too_many_rounds(a);
}

/* v2: the same with single-key writes: a first claim; when taken, an in-order ticket with a TTL,
 * then claims by rank, reading the registry each round. */
static int alloc_ranked_v2(struct alloc *a)
{
    char dir[KEY_MAX], created[KEY_MAX];
    long long index;
    int rc = 0;
    snprintf(dir, sizeof dir, "%s/pending", a->prefix);
    for (int round = 0; rc == 0 && round < MAX_ROUNDS; round++) {
        if (round == 1)
            rc = etcd_v2_enqueue(a->c, dir, a->key, TICKET_TTL_S, created, sizeof created, &index);
        if (round > 0 && rc == 0)
            rc = read_registry(a->c, a->prefix, a->reg);
        if (rc != 0 || (round > 0 && settled(a, &rc)))
            return rc;
        int rank, ok = 0;
        int n = next_pick(a, &rank);
        if (!n)
            return none_free(a);
        if ((rc = claim_single(a, n, &ok)) == 0 && ok)
            return register_node(a, n, &a->out->id);
    }
    return rc ? rc : too_many_rounds(a);
}

static int alloc_mode(int *linear)
{
    const char *v = getenv("ZKINIT_ETCD_ALLOC");
    *linear = v && strcmp(v, "linear") == 0;
    if (!v || !*v || *linear || strcmp(v, "ranked") == 0)
        return 0;
    log_error("bad environment value",
              "variable=ZKINIT_ETCD_ALLOC value=\"%.40s\" hint=\"use ranked (the default) or "
              "linear\"",
              v);
    return EXIT_USAGE;
}

/* The client for ETCD_ENDPOINTS: 0 with *C NULL when etcd is not configured, or an exit code. */
static int etcd_from_env(struct etcd_config *cfg, struct etcd_client **c)
{
    int enabled;
    *c = NULL;
    int rc = etcd_config_from_env(cfg, &enabled);
    if (rc != 0 || !enabled)
        return rc;
    *c = etcd_open(cfg);
    if (!*c) {
        log_error("cannot set up the etcd client", NULL);
        return EXIT_INTERNAL;
    }
    return 0;
}

/* v3: reads the registry and, unless this node is registered, puts its ticket in the same
 * transaction: a first start learns its rank without another round trip. */
static int read_with_ticket(struct alloc *a)
{
    char node[KEY_MAX], ticket[KEY_MAX], all[ETCD_PREFIX_MAX + 2], born[IDENT_KEY_MAX + 24];
    struct etcd_txn t = {.ncmps = 1, .nputs = 1, .nranges = 1, .ranges_on_success = 1};
    node_path(node, a, a->key, "id");
    path(ticket, a, "pending", a->key);
    snprintf(all, sizeof all, "%s/", a->prefix);
    snprintf(born, sizeof born, "%s %lld", a->key, wall_ms());
    t.cmps[0] = (struct etcd_cmp){node, NULL};
    t.puts[0] = (struct etcd_put){ticket, born};
    t.ranges[0] = all;
    int ok;
    ident_reg_init(a->reg, a->prefix, wall_ms());
    return etcd_txn(a->c, &t, ident_reg_add, a->reg, &ok);
}

static int allocate(struct alloc *a)
{
    int rc = etcd_detect(a->c, &a->has_txn);
    if (rc == 0 && a->has_txn && !a->linear)
        rc = read_with_ticket(a);
    else if (rc == 0)
        rc = read_registry(a->c, a->prefix, a->reg);
    if (rc != 0 || settled(a, &rc))
        return rc;
    if (a->linear)
        return alloc_linear(a);
    return a->has_txn ? alloc_ranked_v3(a) : alloc_ranked_v2(a);
}

int ident_etcd_allocate(const struct ident_request *rq, struct ident_grant *out)
{
    struct etcd_config cfg;
    struct alloc a = {.rq = rq, .out = out};
    memset(out, 0, sizeof *out);
    int rc = alloc_mode(&a.linear);
    if (rc == 0)
        rc = etcd_from_env(&cfg, &a.c);
    if (rc != 0 || !a.c)
        return rc;
    snprintf(out->endpoints, sizeof out->endpoints, "%s", cfg.endpoints_shown);
    if (rq->fallback_ok)
        etcd_unreachable_is_debug(a.c);
    a.prefix = cfg.prefix;
    a.is_name = rq->name && *rq->name;
    if (ident_reg_key(rq->name, rq->address, rq->client_port, out->key, sizeof out->key) != 0) {
        log_error("node name or address too long for etcd", "address=%s", rq->address);
        etcd_close(a.c);
        return EXIT_USAGE;
    }
    a.key = out->key;
    a.reg = calloc(1, sizeof *a.reg);
    rc = a.reg ? allocate(&a) : EXIT_INTERNAL;
    if (rc == 0) {
        out->set = 1;
        log_info("id from etcd", "id=%d node=%s address=%s api=%s prefix=%s", out->id, a.key,
                 rq->address, etcd_api_name(a.c), cfg.prefix);
    }
    free(a.reg);
    etcd_close(a.c);
    return rc;
}

/* ------------------------------------------------------------------ reading, releasing */

int ident_etcd_registry(struct ident_registry *r, int *enabled)
{
    struct etcd_config cfg;
    struct etcd_client *c;
    *enabled = 0;
    int rc = etcd_from_env(&cfg, &c);
    if (rc != 0 || !c)
        return rc;
    *enabled = 1;
    rc = read_registry(c, cfg.prefix, r);
    etcd_close(c);
    if (rc == 0 && r->dropped)
        log_warn("etcd holds more registry entries than zkinit reads; some are left out",
                 "dropped=%d prefix=%s", r->dropped, cfg.prefix);
    return rc;
}

static int by_id(const void *x, const void *y)
{
    const struct ident_node *a = x, *b = y;
    return a->id != b->id ? (a->id > b->id) - (a->id < b->id) : strcmp(a->key, b->key);
}

int ident_etcd_nodes(struct ident_node *nodes, int max, int *count)
{
    *count = 0;
    struct ident_registry *r = calloc(1, sizeof *r);
    struct ident_node *all = calloc(IDENT_REG_MAX, sizeof *all);
    int enabled, n = 0;
    int rc = r && all ? ident_etcd_registry(r, &enabled) : EXIT_INTERNAL;
    for (int i = 0; rc == 0 && i < r->nregs; i++) {
        const struct ident_reg_entry *e = &r->regs[i];
        if (e->id < 0 || (e->id > 0 && !e->address[0]))
            log_warn("ignoring a bad registration in etcd", "key=\"%snodes/%s\"", r->prefix,
                     e->raw);
        if (e->id <= 0 || !e->address[0])
            continue;
        struct ident_node *o = &all[n++];
        o->id = e->id;
        snprintf(o->address, sizeof o->address, "%s", e->address);
        snprintf(o->key, sizeof o->key, "%s", e->key);
        o->client_port = e->client_port;
        o->claimed = strcmp(r->claim[e->id], e->key) == 0;
    }
    if (rc == 0) {
        qsort(all, (size_t)n, sizeof *all, by_id);
        if (n > max)
            log_warn("more registrations in etcd than the caller takes; keeping the lowest ids",
                     "registered=%d kept=%d", n, max);
        *count = n < max ? n : max;
        memcpy(nodes, all, (size_t)*count * sizeof *nodes);
    }
    free(all);
    free(r);
    return rc;
}

int ident_etcd_release(int id, int *found)
{
    struct etcd_config cfg;
    struct etcd_client *c = NULL;
    *found = 0;
    struct ident_registry *r = calloc(1, sizeof *r);
    int rc = r ? etcd_from_env(&cfg, &c) : EXIT_INTERNAL;
    if (rc == 0 && !c) {
        log_error("etcd is not configured", "variable=ETCD_ENDPOINTS hint=\"set it\"");
        rc = EXIT_USAGE;
    }
    if (rc == 0)
        rc = read_registry(c, cfg.prefix, r);
    char key[KEY_MAX], idtext[8];
    snprintf(idtext, sizeof idtext, "%d", id);
    for (int i = 0; rc == 0 && i < r->nregs; i++) {
        const struct ident_reg_entry *e = &r->regs[i];
        if (e->id != id)
            continue;
        *found = 1;
        snprintf(key, sizeof key, "%s/nodes/%s/id", cfg.prefix, e->raw);
        rc = etcd_delete_if(c, key, idtext);
        snprintf(key, sizeof key, "%s/nodes/%s/address", cfg.prefix, e->raw);
        if (rc == 0 && e->stored[0])
            rc = etcd_delete_if(c, key, e->stored);
    }
    if (rc == 0 && r->claim_raw[id][0]) {
        *found = 1;
        snprintf(key, sizeof key, "%s/ids/%d", cfg.prefix, id);
        rc = etcd_delete_if(c, key, r->claim_raw[id]);
    }
    if (rc == 0 && *found)
        log_info("released an id in etcd", "id=%d owner=%s prefix=%s", id,
                 r->claim_raw[id][0] ? r->claim_raw[id] : "-", cfg.prefix);
    if (r && c)
        etcd_close(c);
    free(r);
    return rc;
}
