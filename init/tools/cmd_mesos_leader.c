/* cmd_mesos_leader.c - `zkinit mesos-leader`: prints the leading Mesos master registered in
 * ZooKeeper, or every registered master (--all), as host:port or JSON. */
#include "commands.h"

#include "mesos/masterinfo.h"
#include "mesos/mesos_leader.h"
#include "mesos/mesos_masterurl.h"
#include "mesos/zkurl.h"
#include "util/args.h"
#include "util/clock.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/parse.h"
#include "zkclient/zk_client.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},          {"all", no_argument, NULL, 'a'},
    {"json", no_argument, NULL, 'j'},          {"zk", required_argument, NULL, 'z'},
    {"timeout", required_argument, NULL, 't'}, {0},
};

/* -1 to go on, 0 after --help, or 64 after logging. */
static int parse_leader_args(int argc, char **argv, struct leader_opts *o)
{
    o->zk = NULL;
    o->all = o->json = 0;
    o->timeout_ms = 10000;
    const struct args a = {argc,
                           argv,
                           "ha",
                           long_opts,
                           "zkinit mesos-leader --zk zk://HOST:PORT,.../PATH [--all] [--json] "
                           "[--timeout SECONDS]",
                           0};
    args_begin(&a);
    for (int c; (c = args_next(&a)) != -1;) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case 'a':
            o->all = 1;
            break;
        case 'j':
            o->json = 1;
            break;
        case 'z':
            o->zk = optarg;
            break;
        case 't':
            if (parse_seconds_ms(optarg, &o->timeout_ms) != 0)
                return args_bad(&a, optarg, "--timeout takes seconds, e.g. 10 or 2.5");
            break;
        default: /* ARGS_BAD: logged */
            return EXIT_USAGE;
        }
    }
    if (args_operands(&a, NULL) > 0)
        return args_no_operands(&a);
    if (!o->zk) {
        log_error("missing --zk", "hint=\"e.g. --zk zk://zk1:2181,zk2:2181/mesos\"");
        return EXIT_USAGE;
    }
    return -1;
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
        int rc = mesos_read_master(zh, u->path, &nodes[i], &r[i].mi, &r[i].why);
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
    struct mesos_node *nodes = calloc(MESOS_MAX_NODES, sizeof *nodes);
    if (!nodes)
        return EXIT_INTERNAL;
    zhandle_t *zh = NULL;
    rc = mesos_zk_open(&u, clock_ms() + o.timeout_ms, &zh);
    if (rc != 0)
        log_error("ZooKeeper unreachable before the deadline", "zk=\"%s\" timeout_ms=%ld", u.hosts,
                  o.timeout_ms);
    if (rc == 0) {
        int missing;
        int n = mesos_list_masters(zh, u.path, nodes, 0, &missing);
        rc = n < 0 ? -n : report_masters(zh, &u, &o, nodes, n);
        zkc_close(zh);
    }
    free(nodes);
    return rc;
}
