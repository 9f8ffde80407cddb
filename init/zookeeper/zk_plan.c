/* zk_plan.c - the start plan: gather, probe, decide (zk_decide.c), act. See zk_plan.h. */
#include "zookeeper/zk_plan.h"

#include "etcd/ident_etcd.h"
#include "util/exitcodes.h"
#include "util/hostport.h"
#include "util/log.h"
#include "util/stopwait.h"
#include "zkclient/zk_child.h"
#include "zkclient/zk_client.h"
#include "zkclient/zk_reach.h"
#include "zookeeper/ident.h"
#include "zookeeper/zk_decide.h"
#include "zookeeper/zk_record.h"
#include "zookeeper/zk_vote.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_MS 2000       /* one look for a live ensemble */
#define WAIT_SLICE_MS 500   /* between looks while waiting */
#define WAIT_LOG_MS 10000   /* how often a wait says again for whom it waits */
#define ETCD_SETTLE_MS 1000 /* before the lowest registered id bootstraps alone */

struct plan {
    struct zk_ensemble seeds, record, last, live, candidates;
    int seed_with_history; /* see zk_facts */
    enum zk_live live_state;
    int registered, lowest;
    const char *join;
    int has_data;
    int etcd_down;
};

/* ---- probing (in a child) --------------------------------------------------------------- */

struct probe_arg {
    const char *hosts;
    long deadline;
    const char *password;
    const char *leaving; /* for the stale-entry removal: this id */
};

/* 0 config in OUT, 1 nobody, 2 unresolved, 3 answered but getconfig failed. */
static int probe_fn(void *arg, char *out, size_t outlen)
{
    const struct probe_arg *p = arg;
    enum zk_reach_fail why;
    zhandle_t *zh = zk_reach_first(p->hosts, p->deadline, NULL, &why);
    if (!zh)
        return why == ZK_REACH_UNRESOLVED ? 2 : 1;
    int rc = zkc_getconfig(zh, out, outlen, NULL);
    zkc_close(zh);
    return rc == ZOK ? 0 : 3;
}

/* A child's answer that is not FN's own: 70 after logging, or 128+N for a stop. */
static int child_failure(int rc, const char *what)
{
    if (rc == ZK_CHILD_STOPPED)
        return 128 + stopwait_pending();
    log_error("a ZooKeeper client process could not run",
              "what=%s problem=%s hint=\"check the "
              "container's pids and memory limits\"",
              what, rc == ZK_CHILD_TIMEOUT ? "deadline-passed" : "fork-or-crash");
    return EXIT_INTERNAL;
}

/* Probes HOSTS once: P->live_state and P->live. 0, or an exit code. */
static int probe(struct plan *p, const char *hosts)
{
    char err[256];
    memset(&p->live, 0, sizeof p->live);
    p->live_state = ZK_LIVE_NONE;
    if (!hosts[0])
        return 0;
    struct probe_arg a = {hosts, clock_ms() + PROBE_MS, NULL, NULL};
    char *text = malloc(ZKC_CONFIG_MAX);
    if (!text)
        return EXIT_INTERNAL;
    int rc = zk_in_child(probe_fn, &a, text, ZKC_CONFIG_MAX, a.deadline + 3000);
    if (rc < 0) {
        free(text);
        return rc == ZK_CHILD_TIMEOUT ? (p->live_state = ZK_LIVE_UNKNOWN, 0)
                                      : child_failure(rc, "probe");
    }
    int parsed = rc == 0 && zk_parse_config(text, &p->live, err, sizeof err) == 0;
    if (rc == 0 && !parsed)
        log_warn("a live server answered with a configuration that does not parse", NULL);
    p->live_state = parsed && p->live.n > 0 ? ZK_LIVE_ANSWERED
                    : rc == 1               ? ZK_LIVE_NOBODY
                                            : ZK_LIVE_UNKNOWN;
    free(text);
    return 0;
}

/* ---- removing this id's stale entry (an empty volume, another address) -------------------- */

/* In the child: 0 removed (or not listed any more), 1 could not (logged by the parent). */
static int remove_fn(void *arg, char *out, size_t outlen)
{
    const struct probe_arg *p = arg;
    enum zk_reach_fail why;
    struct zk_ensemble cur;
    (void)outlen;
    zhandle_t *zh = zk_reach_first(p->hosts, p->deadline, p->password, &why);
    if (!zh)
        return 1;
    int rc = zkc_reconfig(zh, NULL, p->leaving, &cur);
    if (rc != ZOK) /* the answer may be lost; the config tells */
        rc = zkc_getconfig(zh, NULL, 0, &cur) == ZOK &&
                     zk_ensemble_find(&cur, (int)strtol(p->leaving, NULL, 10)) < 0
                 ? ZOK
                 : rc;
    zkc_close(zh);
    snprintf(out, 8, "%d", rc);
    return rc == ZOK ? 0 : 1;
}

static int remove_stale_entry(struct zk_member *m, const struct plan *p, long deadline)
{
    char id[16], hosts[ZK_HOSTS_MAX], out[16];
    snprintf(id, sizeof id, "%d", m->self.id);
    zk_connect_string(&p->live, m->self.id, hosts, sizeof hosts);
    struct probe_arg a = {hosts, deadline, m->password, id};
    int rc = zk_in_child(remove_fn, &a, out, sizeof out, deadline + 3000);
    if (rc < 0 && rc != ZK_CHILD_TIMEOUT)
        return child_failure(rc, "remove-stale-entry");
    if (rc == 0) {
        log_info("removed this id's stale entry from the live ensemble; rejoining as a new member",
                 "id=%d", m->self.id);
        return 0;
    }
    int code = (int)strtol(out, NULL, 10);
    log_warn("could not remove this id's stale entry yet; waiting", "id=%d error=\"%s\"",
             m->self.id, code ? zerror(code) : "no live server reached");
    return -1;
}

/* ---- the initial configuration ------------------------------------------------------------ */

static void hosts_of(struct zk_member *m, const struct zk_ensemble *e)
{
    zk_connect_string(e, 0, m->hosts, sizeof m->hosts);
    zk_connect_string(e, m->self.id, m->others, sizeof m->others);
}

/* As a member: E as it is (with its version, so ZooKeeper keeps its view of it). */
static void start_member(struct zk_member *m, const struct zk_ensemble *e, struct zk_ensemble *init)
{
    *init = *e;
    int i = zk_ensemble_find(init, m->self.id);
    if (i < 0)
        zk_ensemble_put(init, &m->self);
    else if (m->max_participants > 0 && strcmp(init->s[i].role, "observer") == 0)
        snprintf(m->self.role, sizeof m->self.role, "%s", "observer"); /* see zk_member_wanted */
    m->need_join = 0;
    hosts_of(m, init);
    m->state.status = ZK_STATUS_MEMBER;
    m->state.config = *e;
}

/* As observer of LIVE, to be added once synced. */
static void start_joiner(struct zk_member *m, const struct zk_ensemble *live,
                         struct zk_ensemble *init)
{
    struct zk_server obs = m->self;
    *init = *live;
    init->version[0] = '\0';
    snprintf(obs.role, sizeof obs.role, "%s", "observer");
    zk_ensemble_put(init, &obs); /* replaces any entry of this id */
    m->need_join = 1;
    hosts_of(m, init);
    m->state.status = ZK_STATUS_JOINING;
    m->state.config = *live;
}

/* ---- gathering -------------------------------------------------------------------------- */

/* ZOO_SERVERS: the seed list. Our own entry there (by id) gives this server's line. */
static int parse_seeds(struct zk_member *m, struct zk_ensemble *seeds)
{
    char err[300];
    memset(seeds, 0, sizeof *seeds);
    if (!m->st.servers)
        return 0;
    if (zk_parse_config(m->st.servers, seeds, err, sizeof err) != 0) {
        log_error("bad environment value", "variable=ZOO_SERVERS problem=\"%s\"", err);
        return EXIT_USAGE;
    }
    seeds->version[0] = '\0';
    int i = zk_ensemble_find(seeds, m->self.id);
    if (i >= 0) {
        struct zk_server s = seeds->s[i];
        snprintf(s.role, sizeof s.role, "%s", m->self.role);
        if (!s.client_port) {
            snprintf(s.client_addr, sizeof s.client_addr, "%s", m->self.client_addr);
            s.client_port = m->self.client_port;
        }
        m->self = s;
        seeds->s[i] = s;
    }
    return 0;
}

/* "host:port[,host:port...]" with numeric ports. */
static int valid_join(const char *s)
{
    const char *p = s;
    while (*p) {
        size_t n = strcspn(p, ",");
        const char *colon = memrchr(p, ':', n);
        if (n == 0 || !colon || colon == p || colon + 1 == p + n ||
            strspn(colon + 1, "0123456789") != (size_t)(p + n - colon - 1))
            return 0;
        p += n;
        if (*p == ',')
            p++;
    }
    return *s != '\0';
}

static void add_all(struct zk_ensemble *to, const struct zk_ensemble *from)
{
    for (int i = 0; i < from->n; i++) {
        if (zk_ensemble_find(to, from->s[i].id) < 0)
            zk_ensemble_put(to, &from->s[i]);
    }
}

#define REGISTRATIONS_MAX 255 /* every id */

/* The registrations as servers this start may probe (the lowest id among them matters). */
static void add_registrations(struct zk_member *m, struct plan *p, const struct ident_node *nodes)
{
    for (int i = 0; i < p->registered; i++) {
        struct zk_server s;
        if (zk_ensemble_find(&p->candidates, nodes[i].id) >= 0)
            continue;
        zk_self_server(&m->st, nodes[i].id, nodes[i].address, "participant", &s);
        snprintf(s.client_addr, sizeof s.client_addr, "%s", nodes[i].address);
        if (nodes[i].client_port > 0)
            s.client_port = nodes[i].client_port;
        if (zk_ensemble_put(&p->candidates, &s) != 0)
            break; /* more registrations than a config holds: the lowest ids are enough */
    }
}

static int gather_etcd(struct zk_member *m, struct plan *p)
{
    struct ident_node *nodes = calloc(REGISTRATIONS_MAX, sizeof *nodes);
    if (!nodes)
        return EXIT_INTERNAL;
    int rc = zk_record_load(&p->record, 0);
    if (rc == 0)
        rc = ident_etcd_nodes(nodes, REGISTRATIONS_MAX, &p->registered);
    if (rc == EXIT_UNAVAILABLE && p->last.n > 0) {
        log_warn("etcd is unreachable; deciding from this server's own membership state", NULL);
        p->etcd_down = 1;
        memset(&p->record, 0, sizeof p->record);
        p->registered = 0;
        rc = 0;
    } else if (rc == 0) {
        p->lowest = p->registered > 0 ? nodes[0].id : 0;
        add_registrations(m, p, nodes);
    }
    free(nodes);
    return rc;
}

static int gather(struct zk_member *m, struct plan *p)
{
    memset(p, 0, sizeof *p);
    int rc = parse_seeds(m, &p->seeds);
    if (rc != 0)
        return rc;
    p->join = getenv("ZOO_JOIN");
    if (p->join && !*p->join)
        p->join = NULL;
    if (p->join && !valid_join(p->join)) {
        log_error("bad environment value",
                  "variable=ZOO_JOIN value=\"%s\" hint=\"use host:port[,host:port...], the client "
                  "endpoints of the live ensemble\"",
                  p->join);
        return EXIT_USAGE;
    }
    p->last = m->previous;
    p->has_data = zk_has_data(&m->st);
    add_all(&p->candidates, &p->last);
    add_all(&p->candidates, &p->seeds);
    rc = gather_etcd(m, p);
    add_all(&p->candidates, &p->record);
    return rc;
}

static void candidate_hosts(const struct zk_member *m, const struct plan *p, char *buf, size_t len)
{
    char others[ZK_HOSTS_MAX];
    zk_connect_string(&p->candidates, m->self.id, others, sizeof others);
    snprintf(buf, len, "%s%s%s", p->join ? p->join : "", p->join && others[0] ? "," : "", others);
}

/* ---- deciding ------------------------------------------------------------------------------ */

static void facts_of(const struct zk_member *m, const struct plan *p, struct zk_facts *f)
{
    memset(f, 0, sizeof *f);
    f->self = m->self;
    f->status = m->state.status;
    f->last = &p->last;
    f->has_data = p->has_data;
    f->seeds = &p->seeds;
    f->record = &p->record;
    f->registered = p->registered;
    f->lowest_registered = p->lowest;
    f->join_requested = p->join != NULL;
    f->live_state = p->live_state;
    f->live = &p->live;
    f->seed_with_history = p->seed_with_history;
    f->role_flexible = m->max_participants > 0;
}

/* A fresh volume and no live ensemble: ask the seed servers' election ports whether any of them
 * was ever part of a formed ensemble (a first boot is the only time they all say epoch 0). */
static void ask_seed_votes(const struct zk_member *m, struct plan *p)
{
    p->seed_with_history = 0;
    if (p->has_data || m->state.status != ZK_STATUS_NONE || p->live_state == ZK_LIVE_ANSWERED)
        return;
    for (int i = 0; i < p->seeds.n && !p->seed_with_history; i++) {
        const struct zk_server *s = &p->seeds.s[i];
        char bracketed[INET6_ADDRSTRLEN + 3], addr[INET6_ADDRSTRLEN + 3];
        struct zk_vote v;
        if (s->id == m->self.id ||
            zk_reach_resolve(s->host, 2, 100, bracketed, sizeof bracketed) != 0 ||
            host_unbracket(bracketed, strlen(bracketed), addr, sizeof addr) != 0)
            continue;
        if (zk_vote_ask(addr, s->election_port, clock_ms() + 1000, &v) == 0 &&
            (v.peer_epoch > 0 || v.zxid > 0)) {
            p->seed_with_history = s->id;
            log_info("a seed server has been part of a formed ensemble",
                     "id=%d epoch=%lld "
                     "zxid=%llx state=%d",
                     s->id, v.peer_epoch, (unsigned long long)v.zxid, v.state);
        }
    }
}

static void log_decision(const struct zk_member *m, const struct plan *p,
                         const struct zk_decision *d, const char *hosts)
{
    log_info("start decision",
             "action=%s why=\"%s\" id=%d state=%s last_version=%s last_servers=%d data=%s "
             "seeds=%d etcd_record=%s etcd_registered=%d%s live=%s live_version=%s "
             "live_servers=%d max_participants=%d asked=\"%s\"",
             zk_action_name(d->action), d->why, m->self.id, zk_status_name(m->state.status),
             p->last.version[0] ? p->last.version : "none", p->last.n,
             p->has_data ? "yes" : "empty", p->seeds.n, p->record.n ? p->record.version : "none",
             p->registered, p->etcd_down ? " etcd=unreachable" : "", zk_live_name(p->live_state),
             p->live.version[0] ? p->live.version : "none", p->live.n, m->max_participants, hosts);
}

/* The members this server waits for, for the log. */
static void waiting_for(const struct zk_member *m, const struct plan *p, char *buf, size_t len)
{
    const struct zk_ensemble *e = p->last.n ? &p->last : p->record.n ? &p->record : &p->candidates;
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < e->n && o + 8 < len; i++) {
        if (e->s[i].id != m->self.id && strcmp(e->s[i].role, "participant") == 0)
            o += (size_t)snprintf(buf + o, len - o, "%s%d", o ? "," : "", e->s[i].id);
    }
}

/* ---- acting ----------------------------------------------------------------------------- */

static int wait_failed(const struct zk_member *m, const struct plan *p, const char *hosts)
{
    char ids[256];
    waiting_for(m, p, ids, sizeof ids);
    log_error("no live ensemble answered before ZOO_JOIN_TIMEOUT",
              "id=%d waited_for=\"%s\" asked=\"%s\" timeout_ms=%ld hint=\"start the members "
              "listed (their data holds the ensemble), or raise ZOO_JOIN_TIMEOUT; after losing "
              "the quorum for good see zkinit recover in the README\"",
              m->self.id, ids, hosts, m->join_timeout_ms);
    return EXIT_UNAVAILABLE;
}

/* One decision acted on: 0 done (INIT filled), 1 wait and look again, or an exit code. */
static int act(struct zk_member *m, struct plan *p, const struct zk_decision *d, long deadline,
               struct zk_ensemble *init)
{
    switch (d->action) {
    case ZK_ACT_START_LIVE:
        start_member(m, &p->live, init);
        return 0;
    case ZK_ACT_START_LAST:
        start_member(m, p->last.n ? &p->last : &p->record, init);
        return 0;
    case ZK_ACT_REJOIN: {
        int rc = remove_stale_entry(m, p, deadline);
        if (rc != 0)
            return rc < 0 ? 1 : rc;
        zk_ensemble_remove(&p->live, m->self.id);
        start_joiner(m, &p->live, init);
        return 0;
    }
    case ZK_ACT_JOIN:
        start_joiner(m, &p->live, init);
        return 0;
    case ZK_ACT_SEEDS:
        start_member(m, &p->seeds, init);
        return 0;
    case ZK_ACT_ALONE: {
        struct zk_ensemble none = {0};
        start_member(m, &none, init);
        return 0;
    }
    case ZK_ACT_WAIT:
        break;
    }
    return 1;
}

int zk_member_plan(struct zk_member *m, struct zk_ensemble *initial)
{
    struct plan p;
    struct zk_decision d;
    struct zk_facts f;
    char hosts[ZK_HOSTS_MAX * 2];
    long t0 = clock_ms(), deadline = t0 + m->join_timeout_ms, logged = 0;
    int rc = gather(m, &p), relisted = 0;
    enum zk_action prev = (enum zk_action) - 1;
    while (rc == 0) {
        candidate_hosts(m, &p, hosts, sizeof hosts);
        if ((rc = probe(&p, hosts)) != 0)
            break;
        if (p.seeds.n > 0)
            ask_seed_votes(m, &p);
        facts_of(m, &p, &f);
        zk_decide(&f, &d);
        if (d.action == ZK_ACT_ALONE && p.registered > 0 && !relisted++) {
            /* A concurrent first start may have claimed a lower id but not yet registered its
             * node: look at the registrations once more before bootstrapping alone. */
            if ((rc = stopwait_sleep_ms(ETCD_SETTLE_MS)) != 0 || (rc = gather(m, &p)) != 0)
                break;
            continue;
        }
        if (d.action != prev || clock_ms() - logged >= WAIT_LOG_MS) {
            log_decision(m, &p, &d, hosts);
            prev = d.action;
            logged = clock_ms();
        }
        if ((rc = act(m, &p, &d, deadline, initial)) != 1)
            break;
        rc = 0;
        if (clock_ms() >= deadline) {
            rc = wait_failed(m, &p, hosts);
            break;
        }
        int sig = stopwait_sleep_ms(WAIT_SLICE_MS);
        if (sig)
            rc = 128 + sig;
    }
    if (rc > 128 && rc < 128 + 65)
        log_info("stop signal while waiting for the ensemble; exiting", "id=%d waited_ms=%ld",
                 m->self.id, clock_ms() - t0);
    return rc;
}

int zk_member_plan_offline(struct zk_member *m, struct zk_ensemble *initial)
{
    struct zk_ensemble seeds;
    int rc = parse_seeds(m, &seeds);
    if (rc == 0) {
        *initial = seeds;
        zk_ensemble_put(initial, &m->self);
        hosts_of(m, initial);
    }
    return rc;
}
