/* zk_member.c - join on start, leave on stop. Every ZooKeeper client session lives in a forked
 * process (a probe child before the start, or a hook process), never in the supervisor. */
#include "zk_member.h"

#include "exitcodes.h"
#include "ident.h"
#include "log.h"
#include "zk_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROBE_MS 2000     /* one look for a live ensemble through a seed list */
#define LOCAL_TRY_MS 2000 /* one attempt to reach the local server */
#define BACKOFF_MAX_MS 1000
#define HOOK_MARGIN_MS 150
#define ETCD_SETTLE_MS                                                                             \
    1000 /* before the lowest registered id bootstraps alone */ /* finish (and log) before the     \
                                                                   supervisor's SIGKILL */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static long min_l(long a, long b)
{
    return a < b ? a : b;
}

/* ---- running the client in a child ------------------------------------------------------ */

static void child_main(int fd, int (*fn)(void *, char *, size_t), void *arg, size_t outlen)
{
    char *buf = calloc(1, outlen);
    int rc = buf ? fn(arg, buf, outlen) : 70;
    if (buf) {
        size_t len = strnlen(buf, outlen - 1), off = 0;
        while (off < len) {
            ssize_t n = write(fd, buf + off, len - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            off += (size_t)n;
        }
    }
    _exit(rc & 0xff);
}

static int read_until(int fd, char *out, size_t outlen, long deadline)
{
    size_t len = 0;
    for (;;) {
        long left = deadline - zkc_now_ms();
        if (left <= 0)
            return -1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)min_l(left, 1000));
        if (r < 0 && errno != EINTR)
            return -1;
        if (r <= 0)
            continue;
        char tmp[1024];
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        size_t k = (size_t)n < outlen - 1 - len ? (size_t)n : outlen - 1 - len;
        memcpy(out + len, tmp, k);
        len += k;
        out[len] = '\0';
    }
}

int zk_in_child(int (*fn)(void *arg, char *out, size_t outlen), void *arg, char *out, size_t outlen,
                long deadline)
{
    int fds[2];
    out[0] = '\0';
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1], fn, arg, outlen);
    }
    close(fds[1]);
    int eof = read_until(fds[0], out, outlen, deadline) == 0;
    close(fds[0]);
    if (!eof)
        kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!eof || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* ---- finding the live ensemble ------------------------------------------------------------ */

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
    long deadline = zkc_now_ms() + timeout_ms;
    int logged = 0;
    for (;;) {
        long now = zkc_now_ms();
        int rc = probe_once(hosts, min_l(deadline, now + PROBE_MS), live);
        if (rc <= 0)
            return rc;
        if (zkc_now_ms() >= deadline)
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
        int rc = probe_once(others, zkc_now_ms() + PROBE_MS, &live);
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
        int rc = others[0] ? probe_once(others, zkc_now_ms() + PROBE_MS, &live) : 1;
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

/* ---- the hooks ---------------------------------------------------------------------------- */

static int is_retryable(int rc)
{
    return rc == ZRECONFIGINPROGRESS || rc == ZNEWCONFIGNOQUORUM;
}

static int is_connection_error(int rc)
{
    return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONEXPIRED ||
           rc == ZINVALIDSTATE || rc == ZCLOSING;
}

static int member_as(const struct zk_ensemble *e, const struct zk_server *self)
{
    int i = zk_ensemble_find(e, self->id);
    return i >= 0 && zk_same_endpoint(&e->s[i], self) && strcmp(e->s[i].role, self->role) == 0;
}

static int report_fatal(const char *what, int rc)
{
    if (rc == ZNOAUTH)
        log_error("reconfig refused: not authorized (ZNOAUTH)",
                  "action=%s hint=\"set "
                  "ZOO_SUPER_PASSWORD (or _FILE) to the ensemble's super password\"",
                  what);
    else if (rc == ZRECONFIGDISABLED)
        log_error("reconfig refused: the ensemble has reconfigEnabled=false", "action=%s", what);
    else
        log_error("reconfig failed", "action=%s error=\"%s\" code=%d", what, zerror(rc), rc);
    return 1;
}

/* Waits until the local server serves clients (it has synced with the leader). */
static int wait_local(const struct zk_member *m, long deadline)
{
    char local[ZK_HOST_MAX + 16];
    zk_client_hostport(&m->self, local, sizeof local);
    while (zkc_now_ms() < deadline) {
        zhandle_t *zh = zkc_connect(local, min_l(deadline, zkc_now_ms() + LOCAL_TRY_MS), NULL);
        if (zh) {
            int rc = zkc_getconfig(zh, NULL, 0, NULL);
            zkc_close(zh);
            if (rc == ZOK)
                return 0;
        }
        sleep_ms(100);
    }
    return -1;
}

static int add_self(const struct zk_member *m, long deadline, long t0)
{
    char line[ZK_PATH_MAX];
    struct zk_ensemble cur;
    long backoff = 50;
    zk_server_line(&m->self, line, sizeof line);
    while (zkc_now_ms() < deadline) {
        zhandle_t *zh = zkc_connect(m->others, deadline, m->password);
        if (!zh)
            break;
        for (;;) {
            int rc = zkc_getconfig(zh, NULL, 0, &cur);
            if (rc == ZOK && member_as(&cur, &m->self)) {
                log_info("joined the ensemble", "id=%d role=%s version=%s servers=%d ms=%ld",
                         m->self.id, m->self.role, cur.version, cur.n, zkc_now_ms() - t0);
                zkc_close(zh);
                return 0;
            }
            if (rc == ZOK)
                rc = zkc_reconfig(zh, line, NULL, &cur);
            if (rc == ZOK)
                continue; /* verify with getconfig */
            if (is_connection_error(rc) || zkc_now_ms() >= deadline)
                break;
            if (!is_retryable(rc)) {
                zkc_close(zh);
                return report_fatal("add", rc);
            }
            log_debug("reconfig busy; retrying", "error=\"%s\" backoff_ms=%ld", zerror(rc),
                      backoff);
            sleep_ms(backoff);
            backoff = min_l(backoff * 2, BACKOFF_MAX_MS);
        }
        zkc_close(zh);
        sleep_ms(backoff);
    }
    log_error("could not join the ensemble before the deadline; the server keeps running as "
              "observer",
              "id=%d hosts=\"%s\"", m->self.id, m->hosts);
    return 1;
}

int zk_join_hook(void *arg)
{
    const struct zk_member *m = arg;
    long t0 = zkc_now_ms();
    long deadline = t0 + m->join_timeout_ms - HOOK_MARGIN_MS;
    if (!m->need_join)
        return 0;
    if (wait_local(m, deadline) != 0) {
        log_error("the local server did not sync with the ensemble before the deadline",
                  "id=%d timeout_ms=%ld", m->self.id, m->join_timeout_ms);
        return 1;
    }
    log_info("local server synced; adding it to the ensemble", "id=%d as=%s ms=%ld", m->self.id,
             m->self.role, zkc_now_ms() - t0);
    return add_self(m, deadline, t0);
}

/* The committed config, read through HOSTS. ZOK or an error code. */
static int read_config(const char *hosts, const struct zk_member *m, long deadline,
                       struct zk_ensemble *cur)
{
    zhandle_t *zh = zkc_connect(hosts, deadline, m->password);
    if (!zh)
        return ZCONNECTIONLOSS;
    int rc = zkc_getconfig(zh, NULL, 0, cur);
    zkc_close(zh);
    return rc;
}

/* After a connection loss (the leader removing itself answers so): is the removal committed? */
static int confirm_gone(const struct zk_member *m, const char *others, long deadline, long t0)
{
    struct zk_ensemble cur;
    while (zkc_now_ms() < deadline) {
        int rc = read_config(others, m, deadline, &cur);
        if (rc == ZOK && zk_ensemble_find(&cur, m->self.id) < 0) {
            log_info("left the ensemble (confirmed by getconfig)",
                     "id=%d version=%s servers=%d "
                     "ms=%ld",
                     m->self.id, cur.version, cur.n, zkc_now_ms() - t0);
            return 0;
        }
        if (rc == ZOK)
            return 1; /* still listed: the removal did not commit */
        sleep_ms(50);
    }
    return -1;
}

/* One removal attempt through OTHERS. 0 done, 1 retry, 2 give up (logged). */
static int remove_self(const struct zk_member *m, const char *others, long deadline, long t0)
{
    char id[16];
    struct zk_ensemble cur;
    snprintf(id, sizeof id, "%d", m->self.id);
    zhandle_t *zh = zkc_connect(others, deadline, m->password);
    if (!zh)
        return 2;
    int rc = zkc_reconfig(zh, NULL, id, &cur);
    zkc_close(zh);
    if (rc == ZOK) {
        log_info("left the ensemble", "id=%d version=%s servers=%d ms=%ld", m->self.id, cur.version,
                 cur.n, zkc_now_ms() - t0);
        return 0;
    }
    if (is_connection_error(rc)) {
        int c = confirm_gone(m, others, deadline, t0);
        return c == 0 ? 0 : c == 1 ? 1 : 2;
    }
    if (rc == ZNEWCONFIGNOQUORUM) {
        log_warn("cannot leave: the remaining servers have no quorum; stopping without leaving",
                 "id=%d", m->self.id);
        return 2;
    }
    if (rc == ZRECONFIGINPROGRESS) {
        sleep_ms(50);
        return 1;
    }
    report_fatal("remove", rc);
    return 2;
}

int zk_leave_hook(void *arg)
{
    const struct zk_member *m = arg;
    long t0 = zkc_now_ms();
    long deadline = t0 + m->leave_timeout_ms - HOOK_MARGIN_MS;
    struct zk_ensemble cur;
    char others[ZK_HOSTS_MAX];
    if (!m->leave_on_stop)
        return 0;
    while (zkc_now_ms() < deadline) {
        int rc = read_config(m->hosts, m, deadline, &cur);
        if (rc != ZOK) {
            if (zkc_now_ms() >= deadline)
                break;
            sleep_ms(50);
            continue;
        }
        if (zk_ensemble_find(&cur, m->self.id) < 0) {
            log_info("not in the ensemble's configuration; nothing to leave", "id=%d", m->self.id);
            return 0;
        }
        if (zk_other_participants(&cur, m->self.id) == 0) {
            log_info("last participant of the ensemble; stopping without leaving", "id=%d",
                     m->self.id);
            return 0;
        }
        zk_connect_string(&cur, m->self.id, others, sizeof others);
        int r = remove_self(m, others, deadline, t0);
        if (r == 0)
            return 0;
        if (r == 2)
            return 1;
    }
    log_warn("could not leave the ensemble before ZOO_LEAVE_TIMEOUT; stopping anyway",
             "id=%d timeout_ms=%ld", m->self.id, m->leave_timeout_ms);
    return 1;
}
