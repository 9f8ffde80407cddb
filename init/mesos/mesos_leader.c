/* mesos_leader.c - Mesos masters in ZooKeeper: the registrations, reading them, and the wait for a
 * leader (the command `zkinit mesos-leader` is tools/cmd_mesos_leader.c). */
#include "mesos/mesos_leader.h"

#include "util/clock.h"

#include "mesos/masterinfo.h"
#include "mesos/zkurl.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "zkclient/zk_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zookeeper/zookeeper.h>

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

/* ---- the session ---- */

int mesos_zk_open(const struct zkurl *u, long deadline, zhandle_t **out)
{
    zhandle_t *zh = zkc_open(u->hosts);
    if (!zh) {
        log_error("cannot create a ZooKeeper client", "zk=\"%s\" error=\"%s\"", u->hosts,
                  strerror(errno));
        return EXIT_UNAVAILABLE;
    }
    if (u->auth[0])
        zkc_add_digest(zh, u->auth);
    int rc = zkc_wait_connected(zh, deadline);
    if (rc != 0) {
        zkc_close(zh);
        return rc > 0 ? rc : EXIT_UNAVAILABLE;
    }
    *out = zh;
    return 0;
}

int mesos_read_master(zhandle_t *zh, const char *path, const struct mesos_node *node,
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

int mesos_list_masters(zhandle_t *zh, const char *path, struct mesos_node *nodes, int watch,
                       int *missing)
{
    struct String_vector sv = {0, NULL};
    int rc = zoo_get_children(zh, path, watch, &sv);
    *missing = rc == ZNONODE;
    if (rc == ZNONODE)
        return 0;
    if (watch && zkc_connection_lost(rc)) {
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
    int n = mesos_nodes_select(sv.data, sv.count, nodes, MESOS_MAX_NODES);
    deallocate_String_vector(&sv);
    return n;
}

/* ---- waiting for a leader ---- */

/* One look: 1 when a master is registered, 0 when not (a watch is set), 2 to look again at
 * once (the path appeared meanwhile), or -EXIT_* code. */
static int look_for_master(zhandle_t *zh, const char *path, struct mesos_node *nodes)
{
    int missing = 0;
    int n = mesos_list_masters(zh, path, nodes, 1, &missing);
    if (n != 0)
        return n > 0 ? 1 : n;
    if (!missing)
        return 0; /* the children watch is set */
    struct Stat st;
    int rc = zoo_exists(zh, path, 1, &st); /* watches for the path's creation too */
    return rc == ZOK ? 2 : 0;
}

static int wait_loop(zhandle_t **zh, const struct zkurl *u, long deadline, struct mesos_node *nodes)
{
    for (;;) {
        zkc_clear_events(*zh);
        if (zkc_expired(*zh)) {
            zkc_close(*zh);
            *zh = NULL;
            int rc = mesos_zk_open(u, deadline, zh);
            if (rc != 0)
                return rc;
        }
        int found = look_for_master(*zh, u->path, nodes);
        if (found == 2)
            continue;
        if (found != 0)
            return found > 0 ? 0 : -found;
        int woke = zkc_wait_event(*zh, deadline);
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
    struct mesos_node *nodes = calloc(MESOS_MAX_NODES, sizeof *nodes);
    if (!nodes)
        return EXIT_INTERNAL;
    long deadline = clock_ms() + timeout_ms;
    log_info("waiting for a leading Mesos master", "url=\"%s\" timeout_ms=%ld", shown, timeout_ms);
    zhandle_t *zh = NULL;
    int rc = mesos_zk_open(&u, deadline, &zh);
    if (rc == 0) {
        rc = wait_loop(&zh, &u, deadline, nodes);
        zkc_close(zh);
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
