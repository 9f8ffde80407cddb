/* ident_reg.c - the etcd registry of ZooKeeper ids as data (see ident_reg.h). Pure. */
#include "etcd/ident_reg.h"

#include "util/addr.h"
#include "util/hostport.h"
#include "util/parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ident_reg_init(struct ident_registry *r, const char *prefix, long long now_ms)
{
    memset(r, 0, sizeof *r);
    snprintf(r->prefix, sizeof r->prefix, "%s/", prefix);
    r->now_ms = now_ms;
}

void ident_reg_forget_claims(struct ident_registry *r, long long now_ms)
{
    memset(r->claim_raw, 0, sizeof r->claim_raw);
    memset(r->claim, 0, sizeof r->claim);
    r->npending = 0;
    r->now_ms = now_ms;
}

static int parse_id(const char *s, int *id)
{
    long v;
    if (parse_long(s, 1, IDENT_ID_MAX, &v) != 0)
        return -1;
    *id = (int)v;
    return 0;
}

int ident_key_address(const char *key, char *addr, size_t alen, int *port)
{
    char host[IDENT_KEY_MAX];
    const char *p;
    size_t plen;
    *port = 0;
    if (hostport_split(key, strlen(key), HOSTPORT_PORT_OPTIONAL, host, sizeof host, &p, &plen) !=
            0 ||
        (key[0] == '[' && !p)) /* the registry writes "[v6]" only with a port */
        return -1;
    long v = 0;
    if (p && parse_long(p, 1, 65535, &v) != 0)
        return -1;
    if (addr_canonical(host, addr, alen) != 0)
        return -1;
    *port = (int)v;
    return 0;
}

int ident_reg_key(const char *name, const char *addr, long port, char *out, size_t len)
{
    int n;
    if (name && *name)
        n = snprintf(out, len, "%s", name);
    else if (port == IDENT_DEFAULT_CLIENT_PORT)
        n = snprintf(out, len, "%s", addr);
    else
        return hostport_join(addr, port, out, len);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

void ident_key_canonical(const char *key, char *out, size_t len)
{
    char addr[IDENT_KEY_MAX];
    int port;
    if (ident_key_address(key, addr, sizeof addr, &port) != 0 ||
        ident_reg_key(NULL, addr, port ? port : IDENT_DEFAULT_CLIENT_PORT, out, len) != 0)
        snprintf(out, len, "%s", key);
}

int ident_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= IDENT_KEY_MAX || !isalnum((unsigned char)s[0]) || addr_is_literal(s))
        return 0;
    for (const char *p = s; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
            return 0;
    }
    return 1;
}

int ident_hostname_is_random(const char *host)
{
    size_t n = strlen(host);
    if (n != 12 && n != 64)
        return 0;
    for (const char *p = host; *p; p++) {
        if (!isxdigit((unsigned char)*p))
            return 0;
    }
    return 1;
}

/* The entry for RAW (created when absent), or NULL when full. */
static struct ident_reg_entry *entry(struct ident_registry *r, const char *raw, size_t rawlen)
{
    for (int i = 0; i < r->nregs; i++) {
        if (strlen(r->regs[i].raw) == rawlen && strncmp(r->regs[i].raw, raw, rawlen) == 0)
            return &r->regs[i];
    }
    if (r->nregs == IDENT_REG_MAX || rawlen >= IDENT_KEY_MAX)
        return NULL;
    struct ident_reg_entry *e = &r->regs[r->nregs++];
    memset(e, 0, sizeof *e);
    memcpy(e->raw, raw, rawlen);
    e->raw[rawlen] = '\0';
    ident_key_canonical(e->raw, e->key, sizeof e->key);
    char addr[IDENT_KEY_MAX];
    if (ident_key_address(e->raw, addr, sizeof addr, &e->client_port) == 0)
        snprintf(e->address, sizeof e->address, "%s", addr);
    return e;
}

static void add_node(struct ident_registry *r, const char *rest, const char *value)
{
    const char *slash = strchr(rest, '/');
    if (!slash || slash == rest)
        return;
    int is_id = strcmp(slash, "/id") == 0;
    if (!is_id && strcmp(slash, "/address") != 0)
        return;
    struct ident_reg_entry *e = entry(r, rest, (size_t)(slash - rest));
    if (!e) {
        r->dropped++;
        return;
    }
    if (is_id) {
        if (parse_id(value, &e->id) != 0) {
            e->id = -1;
            snprintf(e->bad_value, sizeof e->bad_value, "%s", value);
        }
        return;
    }
    snprintf(e->stored, sizeof e->stored, "%s", value);
    char addr[IDENT_KEY_MAX];
    int port;
    /* A name's address is data; an address key's address is the key itself. */
    if (ident_key_address(e->raw, addr, sizeof addr, &port) != 0 &&
        addr_canonical(value, e->address, sizeof e->address) != 0)
        e->address[0] = '\0';
}

static void add_pending(struct ident_registry *r, const char *value, long long rev)
{
    char key[IDENT_KEY_MAX], raw[IDENT_KEY_MAX];
    const char *space = strchr(value, ' ');
    if (space) {
        long long born = strtoll(space + 1, NULL, 10);
        if (r->now_ms - born > IDENT_TICKET_MS)
            return; /* a start that died long ago */
        snprintf(raw, sizeof raw, "%.*s", (int)(space - value), value);
        value = raw;
    }
    ident_key_canonical(value, key, sizeof key);
    for (int i = 0; i < r->npending; i++) {
        if (strcmp(r->pending[i].key, key) == 0) {
            if (rev < r->pending[i].rev)
                r->pending[i].rev = rev;
            return;
        }
    }
    if (r->npending == IDENT_PENDING_MAX || !*key) {
        r->dropped++;
        return;
    }
    snprintf(r->pending[r->npending].key, IDENT_KEY_MAX, "%s", key);
    r->pending[r->npending++].rev = rev;
}

int ident_reg_add(const char *key, const char *value, long long rev, void *arg)
{
    struct ident_registry *r = arg;
    size_t pl = strlen(r->prefix);
    if (strncmp(key, r->prefix, pl) != 0)
        return 0;
    const char *rest = key + pl;
    int id;
    if (strncmp(rest, "ids/", 4) == 0 && parse_id(rest + 4, &id) == 0) {
        snprintf(r->claim_raw[id], IDENT_KEY_MAX, "%s", value);
        ident_key_canonical(value, r->claim[id], IDENT_KEY_MAX);
    } else if (strncmp(rest, "nodes/", 6) == 0) {
        add_node(r, rest + 6, value);
    } else if (strncmp(rest, "pending/", 8) == 0) {
        add_pending(r, value, rev);
    }
    return 0;
}

const struct ident_reg_entry *ident_reg_find(const struct ident_registry *r, const char *key)
{
    for (int i = 0; i < r->nregs; i++) {
        if (r->regs[i].id != 0 && strcmp(r->regs[i].key, key) == 0)
            return &r->regs[i];
    }
    return NULL;
}

const struct ident_reg_entry *ident_reg_with_id(const struct ident_registry *r, int id,
                                                const char *except)
{
    for (int i = 0; i < r->nregs; i++) {
        if (r->regs[i].id == id && (!except || strcmp(r->regs[i].key, except) != 0))
            return &r->regs[i];
    }
    return NULL;
}

int ident_reg_taken(const struct ident_registry *r, int id)
{
    return r->claim[id][0] != '\0' || ident_reg_with_id(r, id, NULL) != NULL;
}

int ident_reg_claimed_by(const struct ident_registry *r, const char *key)
{
    for (int n = 1; n <= IDENT_ID_MAX; n++) {
        if (strcmp(r->claim[n], key) == 0)
            return n;
    }
    return 0;
}

static int waiting(const struct ident_registry *r, const char *key)
{
    return !ident_reg_claimed_by(r, key) && !ident_reg_find(r, key);
}

int ident_reg_rank(const struct ident_registry *r, const char *key)
{
    const struct ident_pending *me = NULL;
    for (int i = 0; i < r->npending; i++) {
        if (strcmp(r->pending[i].key, key) == 0)
            me = &r->pending[i];
    }
    if (!me)
        return -1;
    int rank = 0;
    for (int i = 0; i < r->npending; i++) {
        const struct ident_pending *p = &r->pending[i];
        if (p != me && waiting(r, p->key) &&
            (p->rev < me->rev || (p->rev == me->rev && strcmp(p->key, key) < 0)))
            rank++;
    }
    return rank;
}

int ident_reg_pick(const struct ident_registry *r, int rank)
{
    int last = 0;
    for (int n = 1; n <= IDENT_ID_MAX; n++) {
        if (ident_reg_taken(r, n))
            continue;
        if (rank-- <= 0)
            return n;
        last = n;
    }
    return last;
}
