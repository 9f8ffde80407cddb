/* zk_decide.c - the start decision (see zk_decide.h). Pure: no I/O, no clock, no environment. */
#include "zookeeper/zk_decide.h"

#include <stdio.h>
#include <string.h>

const char *zk_action_name(enum zk_action a)
{
    static const char *const names[] = {
        "start-with-live", "start-with-last-committed", "join", "rejoin", "wait", "seeds", "alone"};
    return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "?";
}

const char *zk_live_name(enum zk_live l)
{
    static const char *const names[] = {"not-probed", "answered", "nobody", "unknown"};
    return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "?";
}

static int is_participant(const struct zk_server *s)
{
    return strcmp(s->role, "participant") == 0;
}

/* SELF's entry in E, or NULL. */
static const struct zk_server *entry(const struct zk_ensemble *e, const struct zk_server *self)
{
    int i = e ? zk_ensemble_find(e, self->id) : -1;
    return i >= 0 ? &e->s[i] : NULL;
}

/* F's self as it may be listed as E: with a flexible role, a participant listed as observer (same
 * endpoint) is that observer. */
static struct zk_server self_as(const struct zk_facts *f, const struct zk_server *e)
{
    struct zk_server self = f->self;
    if (f->role_flexible && e && zk_same_endpoint(e, &self) && strcmp(e->role, "observer") == 0)
        snprintf(self.role, sizeof self.role, "%s", e->role);
    return self;
}

static void set(struct zk_decision *d, enum zk_action a, const char *why)
{
    d->action = a;
    d->why = why;
}

static void decide_live(const struct zk_facts *f, struct zk_decision *d)
{
    const struct zk_server *e = entry(f->live, &f->self);
    struct zk_server self = self_as(f, e);
    if (!e)
        set(d, ZK_ACT_JOIN,
            "the live ensemble does not list this server: joining it, starting as "
            "observer and adding it once synced");
    else if (!zk_same_line(e, &self))
        set(d, ZK_ACT_REJOIN, "the live ensemble lists this id with another address or role");
    else if (is_participant(e) && !f->has_data)
        set(d, ZK_ACT_REJOIN,
            "the live ensemble lists this id as participant but the data directory is empty: it "
            "must not vote before it has synced");
    else
        set(d, ZK_ACT_START_LIVE, "already a member of the live ensemble");
}

/* A committed config (it has a version) that names an ensemble. */
static int committed(const struct zk_ensemble *e)
{
    return e && e->n > 0 && e->version[0];
}

/* No live ensemble, but a committed config E is known (local state or etcd's record). */
static void decide_known(const struct zk_facts *f, const struct zk_ensemble *e, const char *what,
                         struct zk_decision *d)
{
    const struct zk_server *me = entry(e, &f->self);
    struct zk_server self = self_as(f, me);
    int voter = me && is_participant(me) && is_participant(&self);
    if (voter && f->has_data && zk_same_endpoint(me, &self))
        set(d, ZK_ACT_START_LAST, what);
    else if (voter && !f->has_data)
        set(d, ZK_ACT_WAIT,
            "listed as participant of the last committed config but the data directory is "
            "empty: waiting for a live quorum to rejoin it");
    else if (me && !is_participant(me) && !is_participant(&self) && zk_same_endpoint(me, &self))
        set(d, ZK_ACT_START_LAST,
            "an observer of the last committed config (observers do not vote)");
    else if (voter)
        set(d, ZK_ACT_WAIT, "listed with another address: waiting for a live ensemble to rejoin");
    else
        set(d, ZK_ACT_WAIT,
            "not a member of the last committed config: waiting for a live "
            "ensemble to join");
}

static void decide_first_boot(const struct zk_facts *f, struct zk_decision *d)
{
    if (f->seeds && f->seeds->n > 0) {
        if (f->seed_with_history && !f->has_data)
            set(d, ZK_ACT_WAIT,
                "not a first boot: a seed server has been part of a formed ensemble (its election "
                "port says so), and this data directory is empty: waiting for a live quorum to "
                "rejoin");
        else if (f->live_state == ZK_LIVE_UNKNOWN && f->status == ZK_STATUS_NONE && f->has_data)
            set(d, ZK_ACT_WAIT, "the seed list's servers could not all be resolved");
        else
            set(d, ZK_ACT_SEEDS,
                f->has_data ? "data but no membership state (an older zkinit): "
                              "the seed list"
                            : "a first boot: no data, no state, nothing "
                              "recorded; forming the ensemble from the seed list");
        return;
    }
    if (f->registered > 0 && f->self.id > f->lowest_registered) {
        set(d, ZK_ACT_WAIT, "the lowest registered id bootstraps the ensemble");
        return;
    }
    if (f->live_state == ZK_LIVE_UNKNOWN) {
        set(d, ZK_ACT_WAIT, "some registered servers could not be reached or resolved");
        return;
    }
    set(d, ZK_ACT_ALONE,
        f->registered > 0 ? "no ensemble was ever recorded and this is the lowest "
                            "registered id: a one-member ensemble"
                          : "no ZOO_JOIN, ZOO_SERVERS, etcd or state: a "
                            "one-member ensemble");
}

void zk_decide(const struct zk_facts *f, struct zk_decision *d)
{
    if (f->live_state == ZK_LIVE_ANSWERED && f->live && f->live->n > 0) {
        decide_live(f, d);
    } else if (f->join_requested) {
        set(d, ZK_ACT_WAIT, "ZOO_JOIN names a live ensemble to join");
    } else if (f->status == ZK_STATUS_LEFT) {
        set(d, ZK_ACT_WAIT, "this server left the ensemble: it only joins a live one");
    } else if (committed(f->last)) {
        decide_known(f, f->last, "a member of the last committed config: starting with it", d);
    } else if (committed(f->record)) {
        decide_known(f, f->record, "a member of the config recorded in etcd: starting with it", d);
    } else if (f->last && f->last->n > 0 && f->has_data) {
        /* no version (never reconfigured): still the config this server's data belongs to */
        decide_known(f, f->last, "the configuration of an earlier start: starting with it", d);
    } else {
        decide_first_boot(f, d);
    }
}
