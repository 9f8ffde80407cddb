/* mesos_leader.c - Mesos masters in ZooKeeper: `zkinit mesos-leader` and the wait for a leader. */
#include "mesos_leader.h"

#include "clock.h"

#include "commands.h"
#include "exitcodes.h"
#include "log.h"
#include "masterinfo.h"
#include "mesos_masterurl.h"
#include "parse.h"
#include "stopwait.h"
#include "zkurl.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zookeeper/zookeeper.h>

#define SESSION_TIMEOUT_MS 4000
#define MAX_NODES 1024
#define MAX_DATA ((size_t)1024 * 1024)

int mesos_node_parse(const char *name, struct mesos_node *node)
{
    static const char *const prefixes[] = {"json.info_", "info_"};
    for (int i = 0; i < 2; i++) {
        size_t pl = strlen(prefixes[i]);
        if (strncmp(name, prefixes[i], pl) != 0)
            continue;
        const char *d = name + pl;
        size_t n = strlen(d);
        if (n == 0 || n > 18 || strlen(name) >= sizeof node->name)
            return 0;
        long long v = 0;
        for (size_t k = 0; k < n; k++) {
            if (d[k] < '0' || d[k] > '9')
                return 0;
            v = v * 10 + (d[k] - '0');
        }
        snprintf(node->name, sizeof node->name, "%s", name);
        node->seq = v;
        node->json = i == 0;
        return 1;
    }
    return 0;
}

static int node_cmp(const void *a, const void *b)
{
    const struct mesos_node *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return strcmp(x->name, y->name);
}

int mesos_nodes_select(char *const *names, int n, struct mesos_node *out, int max)
{
    int k = 0;
    for (int i = 0; i < n && k < max; i++) {
        if (mesos_node_parse(names[i], &out[k]))
            k++;
    }
    qsort(out, (size_t)k, sizeof *out, node_cmp);
    return k;
}

/* ---- a ZooKeeper session that the caller's thread can wait on ---- */

struct zkconn {
    zhandle_t *zh;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int state;   /* last session state */
    int changed; /* an event arrived since the caller cleared it */
};

static void watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
    (void)zh;
    (void)path;
    struct zkconn *c = ctx;
    pthread_mutex_lock(&c->mu);
    if (type == ZOO_SESSION_EVENT)
        c->state = state;
    c->changed = 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void zkconn_init(struct zkconn *c)
{
    pthread_condattr_t attr;
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cv, &attr);
    pthread_condattr_destroy(&attr);
}

#define STOP_POLL_MS 100

/* Waits (lock held) until an event arrives, DEADLINE passes or a stop signal is pending (main()
 * keeps them blocked: stopwait). Returns 1 for an event, 0 at the deadline, 128+N for signal N. */
static int wait_event_locked(struct zkconn *c, long long deadline)
{
    while (!c->changed) {
        int sig = stopwait_pending();
        if (sig)
            return 128 + sig;
        long long left = deadline - clock_ms();
        if (left <= 0)
            return 0;
        if (left > STOP_POLL_MS)
            left = STOP_POLL_MS;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += left / 1000;
        ts.tv_nsec += (left % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&c->cv, &c->mu, &ts);
    }
    return 1;
}

static void zkconn_close(struct zkconn *c)
{
    if (c->zh)
        zookeeper_close(c->zh);
    c->zh = NULL;
}

/* Opens a session to U's hosts (with U's digest credentials) and waits until it is connected.
 * Returns 0, EXIT_UNAVAILABLE (not logged) when DEADLINE passes first, or 128+N when stop
 * signal N arrives. */
static int zkconn_open(struct zkconn *c, const struct zkurl *u, long long deadline)
{
    zoo_set_debug_level((ZooLogLevel)0);
    c->state = 0;
    c->zh = zookeeper_init(u->hosts, watcher, SESSION_TIMEOUT_MS, NULL, c, 0);
    if (c->zh) /* names are resolved again only after a connection loss (see zk_client.c) */
        zoo_set_servers_resolution_delay(c->zh, -1);
    if (!c->zh) {
        log_error("cannot create a ZooKeeper client", "zk=\"%s\" error=\"%s\"", u->hosts,
                  strerror(errno));
        return EXIT_UNAVAILABLE;
    }
    if (u->auth[0])
        zoo_add_auth(c->zh, "digest", u->auth, (int)strlen(u->auth), NULL, NULL);
    int woke = 1;
    pthread_mutex_lock(&c->mu);
    while (c->state != ZOO_CONNECTED_STATE) {
        c->changed = 0;
        if ((woke = wait_event_locked(c, deadline)) != 1)
            break;
    }
    int ok = c->state == ZOO_CONNECTED_STATE;
    pthread_mutex_unlock(&c->mu);
    if (ok)
        return 0;
    zkconn_close(c);
    return woke > 1 ? woke : EXIT_UNAVAILABLE;
}

/* ---- zkinit mesos-leader ---- */

struct leader_opts {
    const char *zk;
    int all, json;
    long timeout_ms;
};

static void usage(FILE *f)
{
    fputs("usage: zkinit mesos-leader --zk zk://[user:pass@]HOST:PORT,.../PATH [-a|--all] [--json] "
          "[--timeout SECONDS]\n"
          "(--zk file:///PATH reads the URL from that file, as Mesos does.)\n"
          "Prints the leading Mesos master (host:port), or every registered master with --all\n"
          "(then stderr's first line is \"Found N masters; current leader: HOST\").\n"
          "Exit: 0 found, 1 no master registered, 64 bad arguments, 69 ZooKeeper unreachable.\n",
          f);
}

static int parse_leader_args(int argc, char **argv, struct leader_opts *o)
{
    o->zk = NULL;
    o->all = o->json = 0;
    o->timeout_ms = 10000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (strcmp(a, "--all") == 0 || strcmp(a, "-a") == 0) {
            o->all = 1;
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strncmp(a, "--zk=", 5) == 0 || strncmp(a, "--timeout=", 10) == 0) {
            val = strchr(a, '=') + 1;
        } else if ((strcmp(a, "--zk") == 0 || strcmp(a, "--timeout") == 0) && i + 1 < argc) {
            val = argv[++i];
        } else {
            log_error("bad argument", "arg=\"%s\" hint=\"see zkinit mesos-leader --help\"", a);
            return EXIT_USAGE;
        }
        if (val && strncmp(a, "--zk", 4) == 0) {
            o->zk = val;
        } else if (val && parse_seconds_ms(val, &o->timeout_ms) != 0) {
            log_error("bad --timeout", "value=\"%s\" hint=\"seconds, e.g. 10 or 2.5\"", val);
            return EXIT_USAGE;
        }
    }
    if (!o->zk) {
        log_error("missing --zk", "hint=\"e.g. --zk zk://zk1:2181,zk2:2181/mesos\"");
        return EXIT_USAGE;
    }
    return -1;
}

/* Reads and decodes NODE under PATH. 0; 1 when the node is gone; -1 when it cannot be decoded
 * (*WHY says why); EXIT_* codes above 1 for ZooKeeper errors. */
static int read_master(zhandle_t *zh, const char *path, const struct mesos_node *node,
                       struct master_info *mi, const char **why)
{
    char full[ZKURL_PATH_MAX + MESOS_NODE_NAME_MAX + 2];
    snprintf(full, sizeof full, "%s/%s", path, node->name);
    char *buf = malloc(MAX_DATA);
    if (!buf)
        return EXIT_INTERNAL;
    int len = (int)MAX_DATA;
    int rc = zoo_get(zh, full, 0, buf, &len, NULL);
    int ret;
    if (rc == ZNONODE) {
        ret = 1;
    } else if (rc != ZOK) {
        log_error("cannot read a master's registration", "node=\"%s\" error=\"%s\"", full,
                  zerror(rc));
        ret = EXIT_UNAVAILABLE;
    } else if (len <= 0) {
        *why = "empty registration";
        ret = -1;
    } else if (node->json) {
        ret = masterinfo_decode_json(buf, (size_t)len, mi, why);
    } else {
        ret = masterinfo_decode_pb((const unsigned char *)buf, (size_t)len, mi, why);
    }
    free(buf);
    return ret;
}

/* Lists the master nodes under PATH into NODES. Returns the count (0: none; *MISSING set when
 * PATH does not exist), or -EXIT_* code. */
static int list_masters(zhandle_t *zh, const char *path, struct mesos_node *nodes, int watch,
                        int *missing)
{
    struct String_vector sv = {0, NULL};
    int rc = zoo_get_children(zh, path, watch, &sv);
    *missing = rc == ZNONODE;
    if (rc == ZNONODE)
        return 0;
    if (watch && (rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONEXPIRED ||
                  rc == ZINVALIDSTATE)) {
        log_debug("ZooKeeper connection lost while waiting", "error=\"%s\"", zerror(rc));
        return 0; /* waiting: the session's next event brings another look */
    }
    if (rc == ZNOAUTH) {
        log_error("ZooKeeper denied access to the Mesos path", "path=\"%s\" hint=\"%s\"", path,
                  "give user:password in the zk:// URL");
        return -EXIT_USAGE;
    }
    if (rc != ZOK) {
        log_error("cannot list the Mesos path", "path=\"%s\" error=\"%s\"", path, zerror(rc));
        return -EXIT_UNAVAILABLE;
    }
    int n = mesos_nodes_select(sv.data, sv.count, nodes, MAX_NODES);
    deallocate_String_vector(&sv);
    return n;
}

static cJSON *entry_json(const struct master_info *mi, const struct mesos_node *node, int leader)
{
    cJSON *o = masterinfo_to_json(mi);
    if (o) {
        cJSON_AddStringToObject(o, "node", node->name);
        cJSON_AddNumberToObject(o, "sequence", (double)node->seq);
        cJSON_AddBoolToObject(o, "leader", leader);
    }
    return o;
}

static int print_json(cJSON *item)
{
    char *s = item ? cJSON_PrintUnformatted(item) : NULL;
    cJSON_Delete(item);
    if (!s)
        return EXIT_INTERNAL;
    printf("%s\n", s);
    free(s);
    return 0;
}

/* One registration as read: STATE 0 decoded (MI), -1 undecodable (WHY), 1 gone since the
 * listing. */
struct reading {
    int state;
    struct master_info mi;
    const char *why;
};

/* Emits one decoded master (plain host:port, or into ARR / as an object). 0 when shown, -1
 * when it has no usable address (logged), or an exit code. */
static int emit_master(const struct leader_opts *o, const struct reading *r,
                       const struct mesos_node *node, int leader, cJSON *arr)
{
    char *host = NULL;
    unsigned port;
    if (masterinfo_best(&r->mi, &host, &port) != 0) {
        log_line(o->all ? LOG_WARN : LOG_ERROR, "a master's registration has no usable address",
                 "node=%s", node->name);
        return -1;
    }
    if (!o->json) {
        printf("%s:%u\n", host, port);
        free(host);
        return 0;
    }
    free(host);
    cJSON *e = entry_json(&r->mi, node, leader);
    if (!e)
        return EXIT_INTERNAL;
    if (!arr)
        return print_json(e);
    cJSON_AddItemToArray(arr, e);
    return 0;
}

/* Reads NODES[0..N) into R until the first present one (all of them with --all). Returns 0 or
 * an exit code (ZooKeeper errors). */
static int read_all(zhandle_t *zh, const struct zkurl *u, const struct leader_opts *o,
                    const struct mesos_node *nodes, int n, struct reading *r)
{
    int present = 0;
    for (int i = 0; i < n && (o->all || !present); i++) {
        r[i].why = "";
        int rc = read_master(zh, u->path, &nodes[i], &r[i].mi, &r[i].why);
        if (rc > 1)
            return rc;
        r[i].state = rc < 0 ? -1 : rc;
        present += rc != 1;
    }
    return 0;
}

/* --all's first stderr line, as the seed tool printed it ("Found 2 Masters; current Leader:
 * localhost"): "Found N masters; current leader: HOST". */
static void print_found(const struct mesos_node *nodes, int n, const struct reading *r)
{
    int count = 0, leader = -1;
    for (int i = 0; i < n; i++) {
        if (r[i].state != 1) {
            count++;
            leader = leader < 0 ? i : leader;
        }
    }
    if (count == 0)
        return;
    char *host = NULL;
    unsigned port = 0;
    if (r[leader].state == 0 && masterinfo_best(&r[leader].mi, &host, &port) == 0)
        fprintf(stderr, "Found %d masters; current leader: %s\n", count, host);
    else
        fprintf(stderr, "Found %d masters; current leader: %s (no usable address)\n", count,
                nodes[leader].name);
    free(host);
    fflush(stderr);
}

static int report_masters(zhandle_t *zh, const struct zkurl *u, const struct leader_opts *o,
                          const struct mesos_node *nodes, int n)
{
    struct reading *r = calloc((size_t)(n ? n : 1), sizeof *r);
    if (!r)
        return EXIT_INTERNAL;
    for (int i = 0; i < n; i++)
        r[i].state = 1;
    int rc = read_all(zh, u, o, nodes, n, r);
    if (rc == 0 && o->all)
        print_found(nodes, n, r);
    cJSON *arr = o->json && o->all ? cJSON_CreateArray() : NULL;
    int shown = 0, leader_seen = 0;
    for (int i = 0; rc == 0 && i < n; i++) {
        if (r[i].state == 1)
            continue; /* gone since the listing: the next one leads */
        int e = -1;
        if (r[i].state < 0)
            log_line(o->all ? LOG_WARN : LOG_ERROR, "cannot decode a master's registration",
                     "node=\"%s/%s\" error=\"%s\"", u->path, nodes[i].name, r[i].why);
        else
            e = emit_master(o, &r[i], &nodes[i], !leader_seen, arr);
        if (e > 1)
            rc = e;
        leader_seen = 1;
        shown += e == 0;
        if (!o->all)
            break;
    }
    if (rc == 0 && shown > 0 && arr)
        rc = print_json(arr);
    else
        cJSON_Delete(arr);
    if (rc == 0 && shown == 0) {
        if (!leader_seen)
            log_error("no Mesos master is registered", "path=\"%s\"", u->path);
        rc = 1;
    }
    for (int i = 0; i < n; i++) {
        if (r[i].state == 0)
            masterinfo_free(&r[i].mi);
    }
    free(r);
    return rc;
}

int cmd_mesos_leader(int argc, char **argv)
{
    struct leader_opts o;
    int rc = parse_leader_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct zkurl u;
    const char *why = "";
    char resolved[ZKURL_AUTH_MAX + ZKURL_HOSTS_MAX + ZKURL_PATH_MAX + 8];
    if (mesos_master_url(o.zk, resolved, sizeof resolved, &why) != 0 ||
        zkurl_parse(resolved, &u, &why) != 0) {
        log_error("bad ZooKeeper URL", "arg=--zk error=\"%s\"", why);
        return EXIT_USAGE;
    }
    struct mesos_node *nodes = calloc(MAX_NODES, sizeof *nodes);
    if (!nodes)
        return EXIT_INTERNAL;
    struct zkconn c;
    zkconn_init(&c);
    rc = zkconn_open(&c, &u, clock_ms() + o.timeout_ms);
    if (rc != 0)
        log_error("ZooKeeper unreachable before the deadline", "zk=\"%s\" timeout_ms=%ld", u.hosts,
                  o.timeout_ms);
    if (rc == 0) {
        int missing;
        int n = list_masters(c.zh, u.path, nodes, 0, &missing);
        rc = n < 0 ? -n : report_masters(c.zh, &u, &o, nodes, n);
        zkconn_close(&c);
    }
    free(nodes);
    return rc;
}

/* ---- waiting for a leader ---- */

/* One look: 1 when a master is registered, 0 when not (a watch is set), 2 to look again at
 * once (the path appeared meanwhile), or -EXIT_* code. */
static int look_for_master(struct zkconn *c, const char *path, struct mesos_node *nodes)
{
    int missing = 0;
    int n = list_masters(c->zh, path, nodes, 1, &missing);
    if (n != 0)
        return n > 0 ? 1 : n;
    if (!missing)
        return 0; /* the children watch is set */
    struct Stat st;
    int rc = zoo_exists(c->zh, path, 1, &st); /* watches for the path's creation too */
    return rc == ZOK ? 2 : 0;
}

static int wait_loop(struct zkconn *c, const struct zkurl *u, long long deadline,
                     struct mesos_node *nodes)
{
    for (;;) {
        pthread_mutex_lock(&c->mu);
        int expired = c->state == ZOO_EXPIRED_SESSION_STATE;
        c->changed = 0;
        pthread_mutex_unlock(&c->mu);
        if (expired) {
            zkconn_close(c);
            int rc = zkconn_open(c, u, deadline);
            if (rc != 0)
                return rc;
        }
        int found = look_for_master(c, u->path, nodes);
        if (found == 2)
            continue;
        if (found != 0)
            return found > 0 ? 0 : -found;
        pthread_mutex_lock(&c->mu);
        int woke = wait_event_locked(c, deadline);
        pthread_mutex_unlock(&c->mu);
        if (woke != 1)
            return woke ? woke : EXIT_UNAVAILABLE;
    }
}

int mesos_wait_leader(const char *url, const char *var, long timeout_ms)
{
    struct zkurl u;
    const char *why = "";
    char shown[ZKURL_AUTH_MAX + ZKURL_HOSTS_MAX + ZKURL_PATH_MAX + 8];
    if (zkurl_parse(url, &u, &why) != 0) {
        log_error("ZKINIT_WAIT_FOR_LEADER needs a zk:// master URL", "var=%s error=\"%s\"", var,
                  why);
        return EXIT_USAGE;
    }
    zkurl_mask(url, shown, sizeof shown);
    struct mesos_node *nodes = calloc(MAX_NODES, sizeof *nodes);
    if (!nodes)
        return EXIT_INTERNAL;
    long long deadline = clock_ms() + timeout_ms;
    log_info("waiting for a leading Mesos master", "url=\"%s\" timeout_ms=%ld", shown, timeout_ms);
    struct zkconn c;
    zkconn_init(&c);
    int rc = zkconn_open(&c, &u, deadline);
    if (rc == 0) {
        rc = wait_loop(&c, &u, deadline, nodes);
        zkconn_close(&c);
    } else if (rc == EXIT_UNAVAILABLE) {
        log_error("ZooKeeper unreachable before the deadline", "var=%s url=\"%s\" hint=\"%s\"", var,
                  shown, "check the zk:// URL or raise ZKINIT_WAIT_FOR_LEADER");
        free(nodes);
        return rc;
    }
    if (rc == 0)
        log_info("a Mesos master is registered", "node=%s", nodes[0].name);
    else if (rc == EXIT_UNAVAILABLE)
        log_error("no leading Mesos master before the deadline", "var=%s url=\"%s\" hint=\"%s\"",
                  var, shown, "start a master or raise ZKINIT_WAIT_FOR_LEADER");
    else if (rc > 128)
        log_info("stopped while waiting for a leading Mesos master", "signal=%d", rc - 128);
    free(nodes);
    return rc;
}
