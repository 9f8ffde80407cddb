/* zk_config.c - zoo.cfg and dynamic config text (pure; the environment is read in zk_env.c,
 * server lines are parsed in zkclient/zk_ensemble.c). */
#include "zookeeper/zk_config.h"

#include "util/base64.h"
#include "util/parse.h"
#include "util/sha1.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zk_self_server(const struct zk_settings *st, int id, const char *address, const char *role,
                    struct zk_server *out)
{
    memset(out, 0, sizeof *out);
    out->id = id;
    snprintf(out->host, sizeof out->host, "%s", address);
    out->quorum_port = (int)st->quorum_port;
    out->election_port = (int)st->election_port;
    snprintf(out->role, sizeof out->role, "%s", role);
    snprintf(out->client_addr, sizeof out->client_addr, "%s", st->client_address);
    out->client_port = (int)st->client_port;
}

/* ---- files --------------------------------------------------------------------------- */

struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        if (b->oom)
            return;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 1024) + (size_t)n;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
}

static char *sb_done(struct sbuf *b)
{
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    if (!b->p)
        sb_printf(b, "%s", "");
    return b->oom ? NULL : b->p;
}

/* Each whitespace-separated word of LIST on its own line (as the image's `for x in $VAR`). */
static void sb_words(struct sbuf *b, const char *list)
{
    const char *p = list;
    while (p && *p) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n");
        if (n)
            sb_printf(b, "%.*s\n", (int)n, p);
        p += n;
    }
}

void zk_state_dir(const struct zk_settings *st, char *buf, size_t len)
{
    snprintf(buf, len, "%s/zkinit", st->data_dir);
}

void zk_dynamic_path(const struct zk_settings *st, char *buf, size_t len)
{
    char dir[ZK_PATH_MAX];
    zk_state_dir(st, dir, sizeof dir);
    if (st->dynamic_path)
        snprintf(buf, len, "%s", st->dynamic_path);
    else
        snprintf(buf, len, "%.*s/zoo.cfg.dynamic", (int)(sizeof dir - 20), dir); /* beside ZK's */
}

char *zk_render_static(const struct zk_settings *st, const struct zk_server *self)
{
    struct sbuf b = {0};
    sb_printf(&b, "dataDir=%s\ndataLogDir=%s\n", st->data_dir, st->data_log_dir);
    sb_printf(&b, "tickTime=%ld\ninitLimit=%ld\nsyncLimit=%ld\n", st->tick_time, st->init_limit,
              st->sync_limit);
    sb_printf(&b,
              "autopurge.snapRetainCount=%ld\nautopurge.purgeInterval=%ld\nmaxClientCnxns=%ld\n",
              st->snap_retain_count, st->purge_interval, st->max_client_cnxns);
    sb_printf(&b, "standaloneEnabled=%s\nadmin.enableServer=%s\n",
              st->standalone_enabled ? "true" : "false", st->admin_enabled ? "true" : "false");
    if (st->reconfig) {
        char dyn[ZK_PATH_MAX];
        zk_dynamic_path(st, dyn, sizeof dyn);
        sb_printf(&b, "reconfigEnabled=true\ndynamicConfigFile=%s\n", dyn);
    } else if (st->servers && st->servers[strspn(st->servers, " \t\r\n")]) {
        sb_words(&b, st->servers);
    } else if (self) { /* the official image: server.1=localhost:2888:3888;2181 */
        sb_printf(&b, "server.%d=localhost:%d:%d;%s%s%d\n", self->id, self->quorum_port,
                  self->election_port, zk_is_wildcard(self->client_addr) ? "" : self->client_addr,
                  zk_is_wildcard(self->client_addr) ? "" : ":", self->client_port);
    }
    /* Unset: the official image writes no line (ZooKeeper's default, srvr); membership mode
     * needs ruok too. */
    const char *fourlw = st->fourlw_set ? st->fourlw_whitelist : st->reconfig ? "srvr,ruok" : "";
    if (*fourlw)
        sb_printf(&b, "4lw.commands.whitelist=%s\n", fourlw);
    if (st->reconfig && st->skip_acl)
        sb_printf(&b, "skipACL=yes\n");
    if (st->listen_all_ips)
        sb_printf(&b, "quorumListenOnAllIPs=true\n");
    if (st->extra_lines)
        sb_printf(&b, "%s", st->extra_lines);
    sb_words(&b, st->cfg_extra);
    return sb_done(&b);
}

char *zk_render_dynamic(const struct zk_ensemble *e)
{
    struct sbuf b = {0};
    for (int i = 0; i < e->n; i++) {
        char line[ZK_PATH_MAX];
        zk_server_line(&e->s[i], line, sizeof line);
        sb_printf(&b, "%s\n", line);
    }
    return sb_done(&b);
}

char *zk_render_config(const struct zk_ensemble *e)
{
    char *servers = zk_render_dynamic(e);
    if (!servers || !e->version[0])
        return servers;
    size_t n = strlen(servers) + ZK_VERSION_MAX + 16;
    char *text = malloc(n);
    if (text)
        snprintf(text, n, "%sversion=%s\n", servers, e->version);
    free(servers);
    return text;
}

void zk_super_digest(const char *password, char *buf, size_t len)
{
    unsigned char d[SHA1_LEN];
    char b64[32];
    size_t n = strlen(password);
    char *in = malloc(n + 7);
    if (!in) {
        snprintf(buf, len, "%s", "");
        return;
    }
    snprintf(in, n + 7, "super:%s", password);
    sha1(in, n + 6, d);
    memset(in, 0, n + 6);
    free(in);
    base64_encode(d, sizeof d, b64, sizeof b64);
    snprintf(buf, len, "super:%s", b64);
}
