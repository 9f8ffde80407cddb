/* zk_compat.c - the official image's and Bitnami's variable forms (pure). */
#include "zookeeper/zk_compat.h"

#include "util/parse.h"
#include "zookeeper/zk_config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BLANKS " \t\r\n"

/* The next word of *P (separators SEPS) as [*W, *W+*N); 0 when none is left. */
static int next_word(const char **p, const char *seps, const char **w, size_t *n)
{
    *p += strspn(*p, seps);
    *n = strcspn(*p, seps);
    *w = *p;
    *p += *n;
    return *n > 0;
}

int zk_extra_check(const char *extra, char *err, size_t errlen)
{
    const char *p = extra ? extra : "", *w;
    size_t n;
    while (next_word(&p, BLANKS, &w, &n)) {
        const char *eq = memchr(w, '=', n);
        if (!eq || eq == w)
            return parse_fail(err, errlen, "\"%.*s\" is not KEY=VALUE", (int)(n > 60 ? 60 : n), w);
    }
    return 0;
}

int zk_extra_get(const char *extra, const char *key, char *val, size_t vlen)
{
    const char *p = extra ? extra : "", *w;
    size_t n, k = strlen(key);
    int found = 0;
    while (next_word(&p, BLANKS, &w, &n)) {
        if (n > k && w[k] == '=' && strncmp(w, key, k) == 0) {
            snprintf(val, vlen, "%.*s", (int)(n - k - 1), w + k + 1);
            found = 1;
        }
    }
    return found;
}

/* "host:q:e[:role][::id]" -> "server.ID=host:q:e[:role];CLIENT_PORT" appended at OUT+*O. */
static int bitnami_entry(const char *w, size_t n, int pos, long client_port, char *out, size_t len,
                         size_t *o, char *err, size_t errlen)
{
    char entry[ZK_HOST_MAX + 64], line[ZK_PATH_MAX];
    long id = pos;
    if (n >= sizeof entry)
        return parse_fail(err, errlen, "entry too long: \"%.40s...\"", w);
    memcpy(entry, w, n);
    entry[n] = '\0';
    char *ids = strstr(entry, "::");
    if (ids) {
        *ids = '\0';
        if (parse_long(ids + 2, 1, 255, &id) != 0)
            return parse_fail(err, errlen, "\"%.*s\": the id after :: must be 1..255", (int)n, w);
    }
    snprintf(line, sizeof line, "server.%ld=%s;%ld", id, entry, client_port);
    struct zk_server s;
    if (zk_parse_server(line, &s, err, errlen) != 0)
        return parse_fail(err, errlen,
                          "\"%.*s\": expected HOST:QUORUM_PORT:ELECTION_PORT[:ROLE][::ID]", (int)n,
                          w);
    int k = snprintf(out + *o, len - *o, "%s%s", *o ? " " : "", line);
    if (k < 0 || (size_t)k >= len - *o)
        return parse_fail(err, errlen, "%s", "the list is too long");
    *o += (size_t)k;
    return 0;
}

int zk_bitnami_servers(const char *in, long client_port, char *out, size_t len, char *err,
                       size_t errlen)
{
    const char *p = in, *w;
    size_t n, o = 0;
    int pos = 0;
    out[0] = '\0';
    const char *first = in + strspn(in, BLANKS);
    if (!*first || strncmp(first, "server.", 7) == 0)
        return 0;
    while (next_word(&p, BLANKS ",;", &w, &n)) {
        if (bitnami_entry(w, n, ++pos, client_port, out, len, &o, err, errlen) != 0)
            return -1;
    }
    return 1;
}

/* FOO_BAR__BAZ -> fooBar.baz */
static int snake_to_key(const char *s, char *out, size_t len)
{
    size_t o = 0;
    int upper_next = 0;
    for (; *s; s++) {
        char c = *s;
        if (c == '_' && s[1] == '_') {
            c = '.';
            s++;
            upper_next = 0;
        } else if (c == '_') {
            upper_next = 1;
            continue;
        } else {
            c = (char)(upper_next ? toupper((unsigned char)c) : tolower((unsigned char)c));
            upper_next = 0;
        }
        if (o + 1 >= len)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    return o ? 0 : -1;
}

int zk_cfg_key(const char *suffix, char *out, size_t len)
{
    int lower = 0;
    for (const char *s = suffix; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
            return -1;
        lower |= islower((unsigned char)*s) != 0;
    }
    if (!*suffix)
        return -1;
    if (lower)
        return snprintf(out, len, "%s", suffix) < (int)len ? 0 : -1;
    return snake_to_key(suffix, out, len);
}

/* The official-form word of SERVERS that is server.ID, parsed into S. 1 found, 0 not. */
static int find_self(const char *servers, int id, struct zk_server *s, const char **w, size_t *n)
{
    const char *p = servers ? servers : "";
    char tok[ZK_PATH_MAX], err[16];
    while (next_word(&p, BLANKS, w, n)) {
        if (*n >= sizeof tok)
            continue;
        memcpy(tok, *w, *n);
        tok[*n] = '\0';
        if (zk_parse_server(tok, s, err, sizeof err) == 0 && s->id == id)
            return 1;
    }
    return 0;
}

int zk_servers_role(const char *servers, int id, char *role, size_t rlen)
{
    struct zk_server s;
    const char *w;
    size_t n;
    if (!find_self(servers, id, &s, &w, &n))
        return 0;
    snprintf(role, rlen, "%s", s.role);
    return 1;
}

int zk_servers_fix_self(const char *servers, int id, const char *address, char *out, size_t len)
{
    struct zk_server s;
    const char *w;
    size_t n;
    int found = find_self(servers, id, &s, &w, &n);
    if (!found || (strcmp(s.host, "0.0.0.0") != 0 && strcmp(s.host, "::") != 0)) {
        return snprintf(out, len, "%s", servers ? servers : "") < (int)len ? 0 : -1;
    }
    char line[ZK_PATH_MAX];
    snprintf(s.host, sizeof s.host, "%s", address);
    zk_server_line(&s, line, sizeof line);
    int k = snprintf(out, len, "%.*s%s%s", (int)(w - servers), servers, line, w + n);
    return k >= 0 && (size_t)k < len ? 1 : -1;
}
