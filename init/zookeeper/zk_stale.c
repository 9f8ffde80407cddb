/* zk_stale.c - the stale-member and observer-threshold decision (see zk_stale.h). Pure: no I/O,
 * no clock, no environment. */
#include "zookeeper/zk_stale.h"

#include "util/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *zk_tend_name(enum zk_tend_action a)
{
    static const char *const names[] = {"none", "remove", "promote", "hold"};
    return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "?";
}

static struct zk_sighting *find(struct zk_sightings *t, int id)
{
    for (int i = 0; i < t->n; i++) {
        if (t->s[i].id == id)
            return &t->s[i];
    }
    return NULL;
}

static const struct zk_sighting *find_c(const struct zk_sightings *t, int id)
{
    return find((struct zk_sightings *)t, id);
}

void zk_sightings_update(struct zk_sightings *t, long epoch, const struct zk_ensemble *cfg,
                         const enum zk_answer *answers, long now)
{
    struct zk_sightings next;
    memset(&next, 0, sizeof next);
    next.epoch = epoch;
    if (t->epoch == epoch) {
        next.backoff_until_ms = t->backoff_until_ms;
        next.held = t->held;
    }
    for (int i = 0; i < cfg->n && next.n < ZK_MAX_SERVERS; i++) {
        const struct zk_sighting *old = t->epoch == epoch ? find(t, cfg->s[i].id) : NULL;
        struct zk_sighting *s = &next.s[next.n++];
        s->id = cfg->s[i].id;
        s->seen_ms = old ? old->seen_ms : now;
        s->serving_since_ms = old ? old->serving_since_ms : 0;
        if (answers[i] != ZK_ANSWER_NONE)
            s->seen_ms = now;
        if (answers[i] != ZK_ANSWER_SERVING)
            s->serving_since_ms = 0;
        else if (!s->serving_since_ms)
            s->serving_since_ms = now;
    }
    *t = next;
}

static int is_participant(const struct zk_server *s)
{
    return strcmp(s->role, "participant") == 0;
}

/* Voters of CFG without SKIP (0: none), and how many of them serve now. */
static void count_voters(const struct zk_ensemble *cfg, const enum zk_answer *answers, int skip,
                         int *voters, int *synced)
{
    *voters = *synced = 0;
    for (int i = 0; i < cfg->n; i++) {
        if (cfg->s[i].id == skip || !is_participant(&cfg->s[i]))
            continue;
        ++*voters;
        *synced += answers[i] == ZK_ANSWER_SERVING;
    }
}

/* The member unseen longest for at least the settling period (never SELF), or -1. */
static int stalest(const struct zk_policy *p, const struct zk_ensemble *cfg,
                   const struct zk_sightings *t, long now, long *unseen)
{
    int best = -1;
    *unseen = 0;
    for (int i = 0; p->stale_after_ms > 0 && i < cfg->n; i++) {
        const struct zk_sighting *s = find_c(t, cfg->s[i].id);
        long gone = s ? now - s->seen_ms : 0;
        if (cfg->s[i].id != p->self_id && gone >= p->stale_after_ms && gone > *unseen) {
            best = i;
            *unseen = gone;
        }
    }
    return best;
}

/* The observer serving the longest, or -1. */
static int longest_serving_observer(const struct zk_ensemble *cfg, const enum zk_answer *answers,
                                    const struct zk_sightings *t)
{
    int best = -1;
    long since = 0;
    for (int i = 0; i < cfg->n; i++) {
        const struct zk_sighting *s = find_c(t, cfg->s[i].id);
        if (is_participant(&cfg->s[i]) || answers[i] != ZK_ANSWER_SERVING || !s ||
            !s->serving_since_ms)
            continue;
        if (best < 0 || s->serving_since_ms < since) {
            best = i;
            since = s->serving_since_ms;
        }
    }
    return best;
}

static void decide_stale(const struct zk_ensemble *cfg, const enum zk_answer *answers, int i,
                         long unseen, struct zk_tend *out)
{
    out->id = cfg->s[i].id;
    out->unseen_ms = unseen;
    count_voters(cfg, answers, out->id, &out->voters, &out->synced);
    if (!is_participant(&cfg->s[i])) {
        out->action = ZK_TEND_REMOVE;
        out->why = "an observer that has not answered for the settling period";
    } else if (out->synced * 2 > out->voters) {
        out->action = ZK_TEND_REMOVE;
        out->why = "a participant that has not answered for the settling period; the others "
                   "keep a synced quorum";
    } else {
        out->action = ZK_TEND_HOLD;
        out->why = "a participant that has not answered for the settling period, but the "
                   "config without it would have no synced quorum now";
    }
}

void zk_tend_decide(const struct zk_policy *p, const struct zk_ensemble *cfg,
                    const enum zk_answer *answers, const struct zk_sightings *t, long now,
                    struct zk_tend *out)
{
    long unseen;
    memset(out, 0, sizeof *out);
    out->action = ZK_TEND_NONE;
    out->why = "nothing to do";
    if (now < t->backoff_until_ms) {
        out->why = "ZooKeeper refused the last change: waiting a settling period";
        return;
    }
    int i = stalest(p, cfg, t, now, &unseen);
    if (i >= 0) {
        decide_stale(cfg, answers, i, unseen, out);
        return;
    }
    int voters, synced;
    count_voters(cfg, answers, 0, &voters, &synced);
    if (p->max_participants <= 0 || voters >= p->max_participants)
        return;
    i = longest_serving_observer(cfg, answers, t);
    if (i < 0)
        return;
    out->action = ZK_TEND_PROMOTE;
    out->id = cfg->s[i].id;
    out->voters = voters + 1;
    out->synced = synced + 1;
    out->why = "fewer voters than ZOO_MAX_PARTICIPANTS: promoting the observer that has served "
               "the longest";
}

int zk_sightings_render(const struct zk_sightings *t, char *buf, size_t len)
{
    size_t o = 0;
    int n = snprintf(buf, len, "epoch=%ld\nbackoff_until=%ld\nheld=%d\n", t->epoch,
                     t->backoff_until_ms, t->held);
    if (n < 0 || (size_t)n >= len)
        return -1;
    o = (size_t)n;
    for (int i = 0; i < t->n; i++) {
        n = snprintf(buf + o, len - o, "seen.%d=%ld,%ld\n", t->s[i].id, t->s[i].seen_ms,
                     t->s[i].serving_since_ms);
        if (n < 0 || (size_t)n >= len - o)
            return -1;
        o += (size_t)n;
    }
    return 0;
}

/* "A,B" -> two non-negative numbers. */
static int parse_pair(const char *v, long *a, long *b)
{
    char first[32];
    const char *comma = strchr(v, ',');
    if (!comma || (size_t)(comma - v) >= sizeof first)
        return -1;
    memcpy(first, v, (size_t)(comma - v));
    first[comma - v] = '\0';
    return parse_long(first, 0, 1L << 62, a) == 0 && parse_long(comma + 1, 0, 1L << 62, b) == 0
               ? 0
               : -1;
}

static int parse_line(const char *key, const char *val, struct zk_sightings *out)
{
    long id;
    if (strcmp(key, "epoch") == 0)
        return parse_long(val, 0, 1L << 62, &out->epoch);
    if (strcmp(key, "backoff_until") == 0)
        return parse_long(val, 0, 1L << 62, &out->backoff_until_ms);
    if (strcmp(key, "held") == 0)
        return parse_long(val, 0, 255, &id) == 0 ? (out->held = (int)id, 0) : -1;
    if (strncmp(key, "seen.", 5) != 0 || parse_long(key + 5, 1, 255, &id) != 0 ||
        out->n >= ZK_MAX_SERVERS || find(out, (int)id))
        return -1;
    struct zk_sighting *s = &out->s[out->n];
    s->id = (int)id;
    if (parse_pair(val, &s->seen_ms, &s->serving_since_ms) != 0)
        return -1;
    out->n++;
    return 0;
}

int zk_sightings_parse(const char *text, struct zk_sightings *out)
{
    char line[128];
    memset(out, 0, sizeof *out);
    while (*text) {
        size_t n = strcspn(text, "\n");
        if (n >= sizeof line)
            return -1;
        memcpy(line, text, n);
        line[n] = '\0';
        text += n + (text[n] == '\n');
        char *eq = strchr(line, '=');
        if (n == 0)
            continue;
        if (!eq)
            return -1;
        *eq = '\0';
        if (parse_line(line, eq + 1, out) != 0)
            return -1;
    }
    return 0;
}
