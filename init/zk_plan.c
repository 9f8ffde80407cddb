/* zk_plan.c - before the start: find the live ensemble (ZOO_JOIN, ZOO_SERVERS, etcd, the previous
 * configuration) and decide the initial dynamic configuration and whether to join. */
#include "zk_plan.h"

#include "exitcodes.h"
#include "ident.h"
#include "log.h"
#include "zk_child.h"
#include "zk_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROBE_MS 2000       /* one look for a live ensemble through a seed list */
#define ETCD_SETTLE_MS 1000 /* before the lowest registered id bootstraps alone */

static long min_l(long a, long b)
{
    return a < b ? a : b;
}

struct probe {
    const char *hosts;
    long deadline;
};

/* In the child: 0 with the ensemble's config text in OUT, 1 when nobody answered. */
static int probe_fn(void *arg, char *out, size_t outlen)
{
    const struct probe *p = arg;
    zhandle_t *zh = zkc_connect(p->hosts, p->deadline, NULL);
    if (!zh)
        return 1;
    int rc = zkc_getconfig(zh, out, outlen, NULL);
    zkc_close(zh);
    return rc == ZOK ? 0 : 1;
}

/* 0 with LIVE filled, 1 when nobody answered by DEADLINE, -1 after logging a bad answer. */
static int probe_once(const char *hosts, long deadline, struct zk_ensemble *live)
{
    struct probe p = {hosts, deadline - 100};
    char *text = malloc(ZKC_CONFIG_MAX);
    char err[256];
    if (!text)
        return -1;
    int rc = zk_in_child(probe_fn, &p, text, ZKC_CONFIG_MAX, deadline + 1000);
    if (rc == 0 && zk_parse_config(text, live, err, sizeof err) != 0) {
        log_error("the live ensemble's configuration cannot be parsed",
                  "hosts=\"%s\" problem=\"%s\"", hosts, err);
        rc = -1;
    } else if (rc != 0 || live->n == 0) {
        rc = 1; /* nobody answered (or an empty configuration) */
    }
    free(text);
    return rc;
}

/* Probes HOSTS until it answers or TIMEOUT_MS passes. */
static int wait_for_ensemble(const char *hosts, long timeout_ms, struct zk_ensemble *live)
{
    long deadline = clock_ms() + timeout_ms;
    int logged = 0;
    for (;;) {
        long now = clock_ms();
        int rc = probe_once(hosts, min_l(deadline, now + PROBE_MS), live);
        if (rc <= 0)
            return rc;
        if (clock_ms() >= deadline)
            return 1;
        if (!logged++)
            log_info("waiting for the ensemble to answer", "hosts=\"%s\" timeout_ms=%ld", hosts,
                     timeout_ms);
        sleep_ms(200);
    }
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

static void take_live(struct zk_member *m, const struct zk_ensemble *live, struct zk_ensemble *init)
{
    *init = *live;
    init->version[0] = '\0';
    int i = zk_ensemble_find(live, m->self.id);
    if (i >= 0 && zk_same_endpoint(&live->s[i], &m->self) &&
        strcmp(live->s[i].role, m->self.role) == 0) {
        m->need_join = 0;
        log_info("this server is already a member of the live ensemble; starting with its "
                 "configuration",
                 "id=%d role=%s servers=%d", m->self.id, m->self.role, live->n);
    } else {
        struct zk_server obs = m->self;
        snprintf(obs.role, sizeof obs.role, "%s", "observer");
        zk_ensemble_put(init, &obs);
        m->need_join = 1;
        log_info("joining the live ensemble: starting as observer, adding once synced",
                 "id=%d "
                 "as=%s servers=%d listed=%s",
                 m->self.id, m->self.role, live->n, i >= 0 ? "other-address" : "no");
    }
    zk_connect_string(init, 0, m->hosts, sizeof m->hosts);
    zk_connect_string(init, m->self.id, m->others, sizeof m->others);
}

static void start_with(struct zk_member *m, const struct zk_ensemble *e, struct zk_ensemble *init)
{
    *init = *e;
    zk_ensemble_put(init, &m->self);
    m->need_join = 0;
    zk_connect_string(init, 0, m->hosts, sizeof m->hosts);
    zk_connect_string(init, m->self.id, m->others, sizeof m->others);
}

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
    }
    return 0;
}

static int plan_join_env(struct zk_member *m, const char *join, struct zk_ensemble *init)
{
    struct zk_ensemble live;
    if (!valid_join(join)) {
        log_error("bad environment value",
                  "variable=ZOO_JOIN value=\"%s\" hint=\"use "
                  "host:port[,host:port...], the client endpoints of the live ensemble\"",
                  join);
        return EXIT_USAGE;
    }
    int rc = wait_for_ensemble(join, m->join_timeout_ms, &live);
    if (rc < 0)
        return EXIT_UNAVAILABLE;
    if (rc > 0) {
        log_error("the ensemble in ZOO_JOIN did not answer",
                  "hosts=\"%s\" timeout_ms=%ld "
                  "hint=\"check that the names resolve and a server listens there, or raise "
                  "ZOO_JOIN_TIMEOUT\"",
                  join, m->join_timeout_ms);
        return EXIT_UNAVAILABLE;
    }
    take_live(m, &live, init);
    return 0;
}

static int plan_seeds(struct zk_member *m, const struct zk_ensemble *seeds, const char *what,
                      struct zk_ensemble *init)
{
    char others[ZK_HOSTS_MAX];
    struct zk_ensemble live;
    zk_connect_string(seeds, m->self.id, others, sizeof others);
    if (others[0]) {
        int rc = probe_once(others, clock_ms() + PROBE_MS, &live);
        if (rc < 0)
            return EXIT_UNAVAILABLE;
        if (rc == 0) {
            take_live(m, &live, init);
            return 0;
        }
    }
    log_info("no live ensemble answers; starting with the seed list", "from=%s servers=%d", what,
             seeds->n);
    start_with(m, seeds, init);
    return 0;
}

static int plan_etcd(struct zk_member *m, const struct ident_node *nodes, int count,
                     struct zk_ensemble *init, int relisted)
{
    struct zk_ensemble reg = {0};
    char others[ZK_HOSTS_MAX];
    struct zk_ensemble live;
    for (int i = 0; i < count; i++) {
        struct zk_server s;
        zk_self_server(&m->st, nodes[i].id, nodes[i].address, "participant", &s);
        snprintf(s.client_addr, sizeof s.client_addr, "%s", nodes[i].address);
        zk_ensemble_put(&reg, &s);
    }
    zk_connect_string(&reg, m->self.id, others, sizeof others);
    int lowest = count > 0 ? nodes[0].id : m->self.id;
    if (!others[0] || m->self.id <= lowest) {
        int rc = others[0] ? probe_once(others, clock_ms() + PROBE_MS, &live) : 1;
        if (rc < 0)
            return EXIT_UNAVAILABLE;
        if (rc == 0) {
            take_live(m, &live, init);
            return 0;
        }
        if (!relisted) {
            /* A concurrent start may have claimed a lower id but not yet registered its node:
             * look again once before bootstrapping alone. */
            struct ident_node again[ZK_MAX_SERVERS];
            int n = 0;
            sleep_ms(ETCD_SETTLE_MS);
            rc = ident_etcd_nodes(again, ZK_MAX_SERVERS, &n);
            return rc != 0 ? rc : plan_etcd(m, again, n, init, 1);
        }
        log_info("no live ensemble answers and this is the lowest registered id; starting a "
                 "one-member ensemble",
                 "id=%d registered=%d", m->self.id, count);
        struct zk_ensemble none = {0};
        start_with(m, &none, init);
        return 0;
    }
    log_info("waiting for the ensemble (the lowest registered id bootstraps it)",
             "lowest_id=%d registered=%d", lowest, count);
    int rc = wait_for_ensemble(others, m->join_timeout_ms, &live);
    if (rc != 0) {
        log_error("no ensemble answered at the registered servers",
                  "hosts=\"%s\" timeout_ms=%ld "
                  "hint=\"start the server with id %d, or raise ZOO_JOIN_TIMEOUT\"",
                  others, m->join_timeout_ms, lowest);
        return EXIT_UNAVAILABLE;
    }
    take_live(m, &live, init);
    return 0;
}

int zk_member_plan(struct zk_member *m, struct zk_ensemble *initial)
{
    struct zk_ensemble seeds;
    int rc = parse_seeds(m, &seeds);
    if (rc != 0)
        return rc;
    const char *join = getenv("ZOO_JOIN");
    if (join && *join)
        return plan_join_env(m, join, initial);
    if (seeds.n > 0)
        return plan_seeds(m, &seeds, "ZOO_SERVERS", initial);
    struct ident_node nodes[ZK_MAX_SERVERS];
    int count = 0;
    rc = ident_etcd_nodes(nodes, ZK_MAX_SERVERS, &count);
    if (rc != 0)
        return rc;
    if (count > 0)
        return plan_etcd(m, nodes, count, initial, 0);
    if (zk_other_participants(&m->previous, m->self.id) > 0) {
        struct zk_ensemble prev = m->previous;
        prev.version[0] = '\0';
        zk_ensemble_remove(&prev, m->self.id);
        return plan_seeds(m, &prev, "previous-config", initial);
    }
    log_info("no ZOO_JOIN, ZOO_SERVERS or etcd registrations; starting a one-member ensemble",
             "id=%d", m->self.id);
    struct zk_ensemble none = {0};
    start_with(m, &none, initial);
    return 0;
}

int zk_member_plan_offline(struct zk_member *m, struct zk_ensemble *initial)
{
    struct zk_ensemble seeds;
    int rc = parse_seeds(m, &seeds);
    if (rc == 0)
        start_with(m, &seeds, initial);
    return rc;
}

static char *read_small_file(const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return NULL;
    char *buf = calloc(1, ZKC_CONFIG_MAX);
    if (buf && fread(buf, 1, ZKC_CONFIG_MAX - 1, f) == 0 && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

void zk_previous_config(const char *cfg_path, struct zk_ensemble *out)
{
    char err[256];
    memset(out, 0, sizeof *out);
    char *cfg = read_small_file(cfg_path);
    if (!cfg)
        return;
    const char *key = "dynamicConfigFile=";
    for (char *line = cfg; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        char path[ZK_PATH_MAX];
        snprintf(path, sizeof path, "%.*s", (int)strcspn(line + strlen(key), "\r\n"),
                 line + strlen(key));
        char *dyn = read_small_file(path);
        if (dyn && zk_parse_config(dyn, out, err, sizeof err) != 0) {
            log_warn("ignoring an unreadable previous dynamic config", "file=\"%s\" problem=\"%s\"",
                     path, err);
            memset(out, 0, sizeof *out);
        }
        free(dyn);
        break;
    }
    free(cfg);
}
