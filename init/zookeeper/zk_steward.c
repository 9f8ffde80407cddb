/* zk_steward.c - one round of the self-managing ensemble (see zk_steward.h and zk_stale.h). */
#include "zookeeper/zk_steward.h"

#include "util/atomicfile.h"
#include "util/env.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/readfile.h"
#include "zkclient/zk_4lw.h"
#include "zkclient/zk_client.h"
#include "zkclient/zk_reach.h"
#include "zookeeper/zk_stale.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ASK_MS 800               /* one member's srvr answer */
#define REFUSED_BACKOFF_MS 30000 /* after a refusal, without a settling period */
#define TABLE_MAX 4096

/* LIST ("srvr, ruok", "*") names srvr. */
static int allows_srvr(const char *list)
{
    for (const char *p = list; *p;) {
        p += strspn(p, ", ");
        size_t n = strcspn(p, ", ");
        if ((n == 4 && strncmp(p, "srvr", 4) == 0) || (n == 1 && *p == '*'))
            return 1;
        p += n;
    }
    return 0;
}

int zk_steward_settings(struct zk_member *m)
{
    const char *v = getenv("ZOO_REMOVE_STALE_AFTER");
    long n;
    m->stale_after_ms = 0;
    if (v && *v && strcmp(v, "off") != 0 &&
        (parse_duration_ms(v, &m->stale_after_ms) != 0 || m->stale_after_ms < 1000)) {
        log_error("bad environment value",
                  "variable=ZOO_REMOVE_STALE_AFTER value=\"%s\" hint=\"a duration of at least 1s "
                  "(e.g. 90s, 10m, 1h), or off\"",
                  v);
        return EXIT_USAGE;
    }
    if (env_long("ZOO_MAX_PARTICIPANTS", 1, 255, 0, &n) != 0)
        return EXIT_USAGE;
    m->max_participants = (int)n;
    if ((m->stale_after_ms > 0 || n > 0) && m->st.fourlw_set && *m->st.fourlw_whitelist &&
        !allows_srvr(m->st.fourlw_whitelist)) {
        log_error("the self-managing ensemble needs the srvr four-letter word",
                  "variable=ZOO_4LW_COMMANDS_WHITELIST value=\"%s\" hint=\"add srvr to it, or "
                  "unset ZOO_REMOVE_STALE_AFTER and ZOO_MAX_PARTICIPANTS\"",
                  m->st.fourlw_whitelist);
        return EXIT_USAGE;
    }
    if (n > 0 && n % 2 == 0)
        log_warn("ZOO_MAX_PARTICIPANTS is even: a quorum of it tolerates no more failures than one "
                 "voter fewer",
                 "value=%ld", n);
    return 0;
}

int zk_steward_enabled(const struct zk_member *m)
{
    return m->stale_after_ms > 0 || m->max_participants > 0;
}

long zk_steward_every_ms(const struct zk_member *m)
{
    long every = m->stale_after_ms > 0 ? m->stale_after_ms / 4 : 5000;
    return every < 1000 ? 1000 : every > 10000 ? 10000 : every;
}

/* ---- the sightings table (not durable: a restart starts it afresh anyway) ---------------- */

static void table_path(const struct zk_member *m, char *buf, size_t len)
{
    char dir[ZK_PATH_MAX];
    zk_state_dir(&m->st, dir, sizeof dir);
    snprintf(buf, len, "%s/sightings", dir);
}

static void load_table(const char *path, struct zk_sightings *t)
{
    char *text = read_regular_file(path, TABLE_MAX - 1);
    if (zk_sightings_parse(text ? text : "", t) != 0)
        memset(t, 0, sizeof *t);
    free(text);
}

static void save_table(const char *path, const struct zk_sightings *t)
{
    char text[TABLE_MAX];
    if (zk_sightings_render(t, text, sizeof text) != 0 ||
        atomic_write_file(path, text, strlen(text), 0644) != 0)
        log_warn("cannot write the steward's sightings", "file=\"%s\" error=\"%s\"", path,
                 strerror(errno));
}

/* ---- asking the members ------------------------------------------------------------------- */

static enum zk_answer ask(const struct zk_server *s, char *mode, size_t len)
{
    char hostport[ZK_HOST_MAX + 16], answer[2048];
    mode[0] = '\0';
    zk_client_hostport(s, hostport, sizeof hostport);
    if (zk_4lw_ask_hostport(hostport, "srvr", ASK_MS, answer, sizeof answer) != 0)
        return ZK_ANSWER_NONE;
    zk_4lw_mode(answer, mode, len);
    return zk_4lw_serving(mode) ? ZK_ANSWER_SERVING : ZK_ANSWER_ALIVE;
}

/* ---- acting ------------------------------------------------------------------------------- */

static void log_decision(const struct zk_member *m, const struct zk_ensemble *cfg,
                         const struct zk_tend *d)
{
    const char *msg = d->action == ZK_TEND_REMOVE ? "removing a stale member"
                      : d->action == ZK_TEND_HOLD ? "not removing a stale member"
                                                  : "promoting an observer";
    log_info(msg,
             "id=%d unseen_ms=%ld decided_by=%d as=leader version=%s voters_after=%d "
             "synced_after=%d stale_after_ms=%ld max_participants=%d why=\"%s\"",
             d->id, d->unseen_ms, m->self.id, cfg->version, d->voters, d->synced, m->stale_after_ms,
             m->max_participants, d->why);
}

/* The reconfig for D through the local server (the leader). ZooKeeper's code. */
static int apply(const struct zk_member *m, const struct zk_ensemble *cfg, const struct zk_tend *d,
                 struct zk_ensemble *after)
{
    char local[ZK_HOST_MAX + 16];
    enum zk_reach_fail why;
    zk_client_hostport(&m->self, local, sizeof local);
    zhandle_t *zh = zk_reach_first(local, clock_ms() + 3000, m->password, &why);
    if (!zh)
        return ZCONNECTIONLOSS;
    int rc;
    if (d->action == ZK_TEND_PROMOTE) {
        char line[ZK_PATH_MAX];
        struct zk_server s = cfg->s[zk_ensemble_find(cfg, d->id)];
        snprintf(s.role, sizeof s.role, "%s", "participant");
        zk_server_line(&s, line, sizeof line);
        rc = zkc_reconfig_from(zh, line, NULL, cfg->version, after);
    } else {
        char id[16];
        snprintf(id, sizeof id, "%d", d->id);
        rc = zkc_reconfig_from(zh, NULL, id, cfg->version, after);
    }
    zkc_close(zh);
    return rc;
}

/* A refusal that the next round would only repeat. */
static int refused(int rc)
{
    return rc == ZNEWCONFIGNOQUORUM || rc == ZNOAUTH || rc == ZRECONFIGDISABLED ||
           rc == ZBADARGUMENTS;
}

static void act(const struct zk_member *m, const struct zk_ensemble *cfg, const struct zk_tend *d,
                struct zk_sightings *t)
{
    struct zk_ensemble after;
    log_decision(m, cfg, d);
    int rc = apply(m, cfg, d, &after);
    if (rc == ZOK) {
        char note[96];
        log_info(d->action == ZK_TEND_REMOVE ? "removed a stale member" : "promoted an observer",
                 "id=%d version=%s servers=%d", d->id, after.version, after.n);
        snprintf(note, sizeof note, "%s %d",
                 d->action == ZK_TEND_REMOVE ? "removed stale member" : "promoted observer", d->id);
        zk_member_record(m, ZK_STATUS_MEMBER, &after, note, 3000);
        t->held = 0;
        return;
    }
    long wait = m->stale_after_ms > 0 ? m->stale_after_ms : REFUSED_BACKOFF_MS;
    if (refused(rc))
        t->backoff_until_ms = clock_ms() + wait;
    log_warn("the ensemble did not take the change", "id=%d action=%s error=\"%s\" next=\"%s\"",
             d->id, zk_tend_name(d->action), zerror(rc),
             refused(rc) ? "after a settling period" : "next round");
}

int zk_steward_round(void *arg)
{
    const struct zk_member *m = arg;
    char path[ZK_PATH_MAX + 16], mode[32];
    struct zk_ensemble cfg;
    struct zk_sightings t;
    enum zk_answer answers[ZK_MAX_SERVERS];
    table_path(m, path, sizeof path);
    if (ask(&m->self, mode, sizeof mode) != ZK_ANSWER_SERVING || strcmp(mode, "leader") != 0) {
        unlink(path); /* only the leader's sightings count, and only while it leads */
        return 0;
    }
    if (zk_config_from_files(&m->st, m->cfg_path, &cfg) != 0 || cfg.n == 0)
        return 1;
    for (int i = 0; i < cfg.n; i++) {
        char their[32];
        answers[i] =
            cfg.s[i].id == m->self.id ? ZK_ANSWER_SERVING : ask(&cfg.s[i], their, sizeof their);
    }
    load_table(path, &t);
    zk_sightings_update(&t, m->epoch_ms, &cfg, answers, clock_ms());
    struct zk_policy p = {m->self.id, m->stale_after_ms, m->max_participants};
    struct zk_tend d;
    zk_tend_decide(&p, &cfg, answers, &t, clock_ms(), &d);
    if (d.action == ZK_TEND_HOLD && t.held != d.id) {
        log_decision(m, &cfg, &d);
        t.held = d.id;
    } else if (d.action == ZK_TEND_REMOVE || d.action == ZK_TEND_PROMOTE) {
        act(m, &cfg, &d, &t);
    } else if (d.action == ZK_TEND_NONE) {
        t.held = 0; /* a later hold is said again */
    }
    save_table(path, &t);
    return 0;
}
