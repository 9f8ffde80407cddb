/* zk_recover.c - the decision and the version of `zkinit recover` (see zk_recover.h). Pure. */
#include "zookeeper/zk_recover.h"

#include "zkclient/zk_4lw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *zk_recover_source_name(enum zk_recover_source s)
{
    static const char *const names[] = {"data", "srvr", "unreachable"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *zk_recover_verdict_name(enum zk_recover_verdict v)
{
    static const char *const names[] = {
        "proceed",           "refuse-live-quorum", "refuse-running",     "refuse-no-data",
        "refuse-not-member", "refuse-higher-zxid", "refuse-unknown-zxid"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

static int named(int id, const int *iknow, int niknow)
{
    for (int i = 0; id > 0 && i < niknow; i++) {
        if (iknow[i] == id)
            return 1;
    }
    return 0;
}

static void set(struct zk_recover_decision *d, enum zk_recover_verdict v,
                const struct zk_recover_node *blocker, const char *why, const char *hint)
{
    d->verdict = v;
    d->blocker = blocker;
    d->why = why;
    d->hint = hint;
}

/* A participant line for the target's id in its own last committed config. */
static int target_is_member(const struct zk_recover_node *t)
{
    int i = zk_ensemble_find(&t->config, t->id);
    return i >= 0 && strcmp(t->config.s[i].role, "participant") == 0;
}

static void decide_others(const struct zk_recover_node *nodes, int n, const int *iknow, int niknow,
                          struct zk_recover_decision *d)
{
    const struct zk_recover_node *t = d->target;
    for (int i = 0; i < n; i++) {
        const struct zk_recover_node *o = &nodes[i];
        if (o == t || o->source == ZK_SRC_UNREACHABLE)
            continue;
        int ahead = o->has_zxid ? o->zxid > t->zxid : o->answered;
        if (!ahead)
            continue;
        if (named(o->id, iknow, niknow)) {
            d->accepted++;
            continue;
        }
        if (o->has_zxid)
            set(d, ZK_RECOVER_HIGHER, o,
                "another node has a higher zxid: it saw writes this server did not",
                "run zkinit recover on that node instead, or accept losing what only it has "
                "with --i-know ID");
        else
            set(d, ZK_RECOVER_UNKNOWN, o,
                "a server runs without serving and does not say its last zxid",
                "stop it and pass its data directory with --data DIR, or accept losing what "
                "only it may have with --i-know ID");
        return;
    }
}

void zk_recover_decide(const struct zk_recover_node *nodes, int n, const int *iknow, int niknow,
                       struct zk_recover_decision *d)
{
    memset(d, 0, sizeof *d);
    for (int i = 0; i < n; i++) {
        if (nodes[i].target)
            d->target = &nodes[i];
    }
    for (int i = 0; i < n; i++) {
        if (zk_4lw_serving(nodes[i].mode)) {
            set(d, ZK_RECOVER_LIVE, &nodes[i],
                "a server serves: a quorum of the ensemble is alive, a second one would split "
                "the brain",
                "do not recover: start this server normally, it rejoins the live ensemble");
            return;
        }
    }
    const struct zk_recover_node *t = d->target;
    if (!t) {
        set(d, ZK_RECOVER_NO_DATA, NULL, "no report for this server", "this is a bug");
        return;
    }
    if (t->answered) {
        set(d, ZK_RECOVER_TARGET_RUNNING, t,
            "this server's ZooKeeper runs (its client port answers): its files are in use",
            "stop it first (docker stop), then run zkinit recover on its volumes");
    } else if (!t->has_zxid) {
        set(d, ZK_RECOVER_NO_DATA, t, "this server's data directory holds no ZooKeeper data",
            "run zkinit recover where the survivor's data volume is mounted at ZOO_DATA_DIR");
    } else if (!target_is_member(t)) {
        set(d, ZK_RECOVER_NOT_MEMBER, t,
            "this server is not a participant of its last committed config (it left, or never "
            "joined): its data may be older than the ensemble's",
            "run zkinit recover on a server that was a participant");
    } else {
        set(d, ZK_RECOVER_PROCEED, NULL, "", "");
        decide_others(nodes, n, iknow, niknow, d);
        if (d->verdict == ZK_RECOVER_PROCEED)
            d->why = d->accepted ? "this server has the highest zxid but for the nodes --i-know "
                                   "accepts losing"
                                 : "this server has the highest zxid of every node that reported";
    }
}

void zk_recover_version(uint64_t last_zxid, const char *old_version, char *buf, size_t len)
{
    uint64_t old = old_version && *old_version ? strtoull(old_version, NULL, 16) : 0;
    uint64_t v = (last_zxid > old ? last_zxid : old) + 1;
    snprintf(buf, len, "%" PRIx64, v);
}

void zk_recover_ids(const struct zk_ensemble *e, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < e->n && o + 5 < len; i++) {
        if (strcmp(e->s[i].role, "participant") == 0)
            o += (size_t)snprintf(buf + o, len - o, "%s%d", o ? "," : "", e->s[i].id);
    }
}

void zk_recover_note(const struct zk_recover_node *target, const struct zk_ensemble *old,
                     int accepted, char *buf, size_t len)
{
    char ids[64];
    zk_recover_ids(old, ids, sizeof ids);
    snprintf(buf, len,
             "recovered by zkinit recover: %s zxid %" PRIx64 ", quorum of version %s (ids %s) lost",
             accepted ? "--i-know, own" : "highest", target->zxid,
             old->version[0] ? old->version : "none", ids);
}
