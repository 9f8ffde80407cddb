/* zk_ensemble.c - ZooKeeper server lines and ensembles (pure): parsing ZOO_SERVERS and getconfig's
 * answer, the canonical line, client endpoints and connect strings. */
#include "zkclient/zk_ensemble.h"

#include "util/hostport.h"
#include "util/parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- server lines -------------------------------------------------------------------- */

static int parse_port(const char *s, size_t n, int *out)
{
    char buf[8];
    long v;
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (parse_long(buf, 1, 65535, &v) != 0)
        return -1;
    *out = (int)v;
    return 0;
}

static int copy_host(char *dst, const char *s, size_t n)
{
    if (host_unbracket(s, n, dst, ZK_HOST_MAX) != 0 || !dst[0])
        return -1;
    for (const char *p = dst; *p; p++) {
        if (isspace((unsigned char)*p) || *p == ';' || *p == ',' || *p == '=')
            return -1;
    }
    return 0;
}

/* "host:quorum:election[:role]" */
static int parse_server_part(const char *s, size_t n, struct zk_server *out)
{
    const char *end = s + n;
    const char *c = memrchr(s, ':', n);
    if (!c)
        return -1;
    size_t tail = (size_t)(end - c - 1);
    if ((tail == 11 && strncmp(c + 1, "participant", 11) == 0) ||
        (tail == 8 && strncmp(c + 1, "observer", 8) == 0)) {
        memcpy(out->role, c + 1, tail);
        out->role[tail] = '\0';
        end = c;
        c = memrchr(s, ':', (size_t)(end - s));
        if (!c)
            return -1;
    }
    if (parse_port(c + 1, (size_t)(end - c - 1), &out->election_port) != 0)
        return -1;
    end = c;
    c = memrchr(s, ':', (size_t)(end - s));
    if (!c || parse_port(c + 1, (size_t)(end - c - 1), &out->quorum_port) != 0)
        return -1;
    return copy_host(out->host, s, (size_t)(c - s));
}

/* "[addr:]port" */
static int parse_client_part(const char *s, struct zk_server *out)
{
    size_t n = strlen(s);
    const char *c = memrchr(s, ':', n);
    if (!c)
        return parse_port(s, n, &out->client_port);
    if (parse_port(c + 1, strlen(c + 1), &out->client_port) != 0)
        return -1;
    return copy_host(out->client_addr, s, (size_t)(c - s));
}

int zk_parse_server(const char *entry, struct zk_server *out, char *err, size_t errlen)
{
    static const char hint[] =
        "expected server.ID=HOST:QUORUM_PORT:ELECTION_PORT[:ROLE][;[ADDR:]PORT]";
    memset(out, 0, sizeof *out);
    strcpy(out->role, "participant");
    if (strncmp(entry, "server.", 7) != 0)
        return parse_fail(err, errlen, "\"%s\": %s", entry, hint);
    const char *eq = strchr(entry, '=');
    char idbuf[8];
    long id;
    size_t idlen = eq ? (size_t)(eq - entry - 7) : 0;
    if (!eq || idlen == 0 || idlen >= sizeof idbuf)
        return parse_fail(err, errlen, "\"%s\": %s", entry, hint);
    memcpy(idbuf, entry + 7, idlen);
    idbuf[idlen] = '\0';
    if (parse_long(idbuf, 1, 255, &id) != 0)
        return parse_fail(err, errlen, "\"%s\": the server id must be 1..255", entry);
    out->id = (int)id;
    const char *rhs = eq + 1;
    const char *semi = strchr(rhs, ';');
    size_t n = semi ? (size_t)(semi - rhs) : strlen(rhs);
    if (parse_server_part(rhs, n, out) != 0 || (semi && parse_client_part(semi + 1, out) != 0))
        return parse_fail(err, errlen, "\"%s\": %s", entry, hint);
    return 0;
}

int zk_ensemble_find(const struct zk_ensemble *e, int id)
{
    for (int i = 0; i < e->n; i++) {
        if (e->s[i].id == id)
            return i;
    }
    return -1;
}

int zk_ensemble_put(struct zk_ensemble *e, const struct zk_server *s)
{
    int i = zk_ensemble_find(e, s->id);
    if (i >= 0) {
        e->s[i] = *s;
        return 0;
    }
    if (e->n == ZK_MAX_SERVERS)
        return -1;
    i = e->n++;
    while (i > 0 && e->s[i - 1].id > s->id) {
        e->s[i] = e->s[i - 1];
        i--;
    }
    e->s[i] = *s;
    return 0;
}

void zk_ensemble_remove(struct zk_ensemble *e, int id)
{
    int i = zk_ensemble_find(e, id);
    if (i < 0)
        return;
    memmove(&e->s[i], &e->s[i + 1], (size_t)(e->n - i - 1) * sizeof e->s[0]);
    e->n--;
}

static int parse_version(const char *tok, struct zk_ensemble *out, char *err, size_t errlen)
{
    const char *v = tok + 8;
    size_t n = strlen(v);
    if (n == 0 || n >= ZK_VERSION_MAX || strspn(v, "0123456789abcdefABCDEF") != n)
        return parse_fail(err, errlen, "\"%s\": the version must be hexadecimal", tok);
    memcpy(out->version, v, n + 1);
    return 0;
}

int zk_parse_config(const char *text, struct zk_ensemble *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = text;
    while (*p) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n");
        if (n == 0)
            break;
        char tok[512];
        if (n >= sizeof tok)
            return parse_fail(err, errlen, "entry too long: \"%.40s...\"", p);
        memcpy(tok, p, n);
        tok[n] = '\0';
        p += n;
        struct zk_server s;
        if (strncmp(tok, "version=", 8) == 0) {
            if (parse_version(tok, out, err, errlen) != 0)
                return -1;
            continue;
        }
        if (zk_parse_server(tok, &s, err, errlen) != 0)
            return -1;
        if (zk_ensemble_find(out, s.id) >= 0)
            return parse_fail(err, errlen, "server.%d is listed twice", s.id);
        if (zk_ensemble_put(out, &s) != 0)
            return parse_fail(err, errlen, "more than %d servers", ZK_MAX_SERVERS);
    }
    return 0;
}

void zk_server_line(const struct zk_server *s, char *buf, size_t len)
{
    char host[ZK_HOST_MAX + 2];
    host_bracket(s->host, strlen(s->host), host, sizeof host);
    int n = snprintf(buf, len, "server.%d=%s:%d:%d:%s", s->id, host, s->quorum_port,
                     s->election_port, s->role);
    if (n < 0 || (size_t)n >= len || !s->client_port)
        return;
    if (s->client_addr[0]) {
        char caddr[ZK_HOST_MAX + 2];
        host_bracket(s->client_addr, strlen(s->client_addr), caddr, sizeof caddr);
        snprintf(buf + n, len - (size_t)n, ";%s:%d", caddr, s->client_port);
    } else {
        snprintf(buf + n, len - (size_t)n, ";%d", s->client_port);
    }
}

int zk_is_wildcard(const char *a)
{
    return !*a || strcmp(a, "0.0.0.0") == 0 || strcmp(a, "::") == 0 ||
           strcmp(a, "0:0:0:0:0:0:0:0") == 0;
}

void zk_client_hostport(const struct zk_server *s, char *buf, size_t len)
{
    hostport_join(zk_is_wildcard(s->client_addr) ? s->host : s->client_addr,
                  s->client_port ? s->client_port : 2181, buf, len);
}

int zk_same_endpoint(const struct zk_server *a, const struct zk_server *b)
{
    const char *ca = zk_is_wildcard(a->client_addr) ? "0.0.0.0" : a->client_addr;
    const char *cb = zk_is_wildcard(b->client_addr) ? "0.0.0.0" : b->client_addr;
    return a->id == b->id && strcmp(a->host, b->host) == 0 && a->quorum_port == b->quorum_port &&
           a->election_port == b->election_port && a->client_port == b->client_port &&
           strcmp(ca, cb) == 0;
}

int zk_same_line(const struct zk_server *a, const struct zk_server *b)
{
    return zk_same_endpoint(a, b) && strcmp(a->role, b->role) == 0;
}

int zk_other_participants(const struct zk_ensemble *e, int id)
{
    int n = 0;
    for (int i = 0; i < e->n; i++) {
        if (e->s[i].id != id && strcmp(e->s[i].role, "participant") == 0)
            n++;
    }
    return n;
}

void zk_connect_string(const struct zk_ensemble *e, int skip_id, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < e->n; i++) {
        char hp[ZK_HOST_MAX + 16];
        if (e->s[i].id == skip_id)
            continue;
        zk_client_hostport(&e->s[i], hp, sizeof hp);
        int n = snprintf(buf + o, len - o, "%s%s", o ? "," : "", hp);
        if (n < 0 || (size_t)n >= len - o)
            return;
        o += (size_t)n;
    }
}
