/* zk_client.c - the one client session: open, wait for the connection or an event, digest auth,
 * close; getconfig and reconfig. */
#include "zkclient/zk_client.h"

#include "util/log.h"
#include "util/stopwait.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STOP_POLL_MS 100 /* how often a wait looks for a pending stop signal */

void zkc_set_logging(void)
{
    /* Level 0 switches the client's logging off; its ERROR lines for every refused connection
     * would drown zkinit's own log. */
    zoo_set_debug_level(log_enabled(LOG_DEBUG) ? ZOO_LOG_LEVEL_WARN : (ZooLogLevel)0);
}

/* What the watcher saw, for a caller that waits on it (the handle's context). */
struct zkc_session {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int state;   /* the last session state */
    int changed; /* an event arrived since the caller cleared it */
};

/* Every session's events, counted, for a caller that races several handles (zkc_wait_any). */
static pthread_mutex_t any_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t any_cv = PTHREAD_COND_INITIALIZER;
static unsigned any_events;

static void count_event(void)
{
    pthread_mutex_lock(&any_mu);
    any_events++;
    pthread_cond_broadcast(&any_cv);
    pthread_mutex_unlock(&any_mu);
}

unsigned zkc_events_seen(void)
{
    pthread_mutex_lock(&any_mu);
    unsigned n = any_events;
    pthread_mutex_unlock(&any_mu);
    return n;
}

/* CLK's time MS milliseconds from now, for pthread_cond_timedwait. */
static struct timespec clock_after(clockid_t clk, long ms)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    return ts;
}

void zkc_wait_any(unsigned *seen, long deadline)
{
    long left = deadline - clock_ms();
    /* PTHREAD_COND_INITIALIZER waits on the realtime clock */
    struct timespec ts = clock_after(CLOCK_REALTIME, left < STOP_POLL_MS ? left : STOP_POLL_MS);
    pthread_mutex_lock(&any_mu);
    while (any_events == *seen && left > 0 && pthread_cond_timedwait(&any_cv, &any_mu, &ts) == 0) {
    }
    *seen = any_events;
    pthread_mutex_unlock(&any_mu);
}

static void session_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
    (void)zh;
    (void)path;
    count_event();
    struct zkc_session *c = ctx;
    pthread_mutex_lock(&c->mu);
    if (type == ZOO_SESSION_EVENT)
        c->state = state;
    c->changed = 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static struct zkc_session *session_new(void)
{
    struct zkc_session *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_condattr_t attr;
    pthread_mutex_init(&c->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cv, &attr);
    pthread_condattr_destroy(&attr);
    return c;
}

static void session_free(struct zkc_session *c)
{
    if (!c)
        return;
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static struct zkc_session *session_of(zhandle_t *zh)
{
    return (struct zkc_session *)zoo_get_context(zh);
}

zhandle_t *zkc_open(const char *hosts)
{
    zkc_set_logging();
    struct zkc_session *c = session_new();
    if (!c)
        return NULL;
    zhandle_t *zh = zookeeper_init(hosts, session_watcher, ZKC_SESSION_TIMEOUT_MS, NULL, c, 0);
    if (!zh) {
        int e = errno;
        session_free(c);
        errno = e;
        return NULL;
    }
    /* The client resolves every name again on each loop and drops its connection when the answer
     * changes (a flaky resolver: musl with two nameservers). Only on a connection loss, please. */
    zoo_set_servers_resolution_delay(zh, -1);
    return zh;
}

void zkc_close(zhandle_t *zh)
{
    if (!zh)
        return;
    struct zkc_session *c = session_of(zh);
    zookeeper_close(zh); /* joins the client's threads: the watcher runs no more */
    session_free(c);
}

/* Waits (lock held) until an event arrives, DEADLINE passes or a stop signal is pending (main()
 * keeps them blocked: stopwait). Returns 1 for an event, 0 at the deadline, 128+N for signal N. */
static int wait_event_locked(struct zkc_session *c, long deadline)
{
    while (!c->changed) {
        int sig = stopwait_pending();
        if (sig)
            return 128 + sig;
        long left = deadline - clock_ms();
        if (left <= 0)
            return 0;
        if (left > STOP_POLL_MS)
            left = STOP_POLL_MS;
        struct timespec ts = clock_after(CLOCK_MONOTONIC, left);
        pthread_cond_timedwait(&c->cv, &c->mu, &ts);
    }
    return 1;
}

void zkc_clear_events(zhandle_t *zh)
{
    struct zkc_session *c = session_of(zh);
    pthread_mutex_lock(&c->mu);
    c->changed = 0;
    pthread_mutex_unlock(&c->mu);
}

int zkc_wait_event(zhandle_t *zh, long deadline)
{
    struct zkc_session *c = session_of(zh);
    pthread_mutex_lock(&c->mu);
    int woke = wait_event_locked(c, deadline);
    pthread_mutex_unlock(&c->mu);
    return woke;
}

int zkc_wait_connected(zhandle_t *zh, long deadline)
{
    struct zkc_session *c = session_of(zh);
    int woke = 1;
    pthread_mutex_lock(&c->mu);
    while (c->state != ZOO_CONNECTED_STATE && woke == 1) {
        c->changed = 0;
        woke = wait_event_locked(c, deadline);
    }
    int ok = c->state == ZOO_CONNECTED_STATE;
    pthread_mutex_unlock(&c->mu);
    return ok ? 0 : woke > 1 ? woke : -1;
}

int zkc_connected(zhandle_t *zh)
{
    return zoo_state(zh) == ZOO_CONNECTED_STATE;
}

int zkc_expired(zhandle_t *zh)
{
    struct zkc_session *c = session_of(zh);
    pthread_mutex_lock(&c->mu);
    int expired = c->state == ZOO_EXPIRED_SESSION_STATE;
    pthread_mutex_unlock(&c->mu);
    return expired;
}

zhandle_t *zkc_connect(const char *hosts, long deadline, const char *super_password)
{
    zhandle_t *zh = zkc_open(hosts);
    if (!zh)
        return NULL;
    if (zkc_wait_connected(zh, deadline) != 0) {
        zkc_close(zh);
        return NULL;
    }
    if (super_password)
        zkc_authenticate(zh, super_password);
    return zh;
}

void zkc_add_digest(zhandle_t *zh, const char *credentials)
{
    zoo_add_auth(zh, "digest", credentials, (int)strlen(credentials), NULL, NULL);
}

void zkc_authenticate(zhandle_t *zh, const char *super_password)
{
    char cred[512];
    int n = snprintf(cred, sizeof cred, "super:%s", super_password);
    if (n > 0 && (size_t)n < sizeof cred)
        zkc_add_digest(zh, cred); /* a wrong one shows as ZNOAUTH */
    memset(cred, 0, sizeof cred);
}

int zkc_connection_lost(int rc)
{
    return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONEXPIRED ||
           rc == ZINVALIDSTATE || rc == ZCLOSING;
}

static int parse_answer(char *buf, int len, char *raw, size_t rawlen, struct zk_ensemble *out)
{
    char err[256];
    buf[len < 0 ? 0 : len] = '\0';
    if (raw)
        snprintf(raw, rawlen, "%s", buf);
    if (out && zk_parse_config(buf, out, err, sizeof err) != 0) {
        log_error("cannot parse the ensemble's configuration", "problem=\"%s\"", err);
        return ZBADARGUMENTS;
    }
    return ZOK;
}

int zkc_getconfig(zhandle_t *zh, char *raw, size_t rawlen, struct zk_ensemble *out)
{
    char *buf = malloc(ZKC_CONFIG_MAX);
    if (!buf)
        return ZSYSTEMERROR;
    int len = ZKC_CONFIG_MAX - 1;
    int rc = zoo_getconfig(zh, 0, buf, &len, NULL);
    if (rc == ZOK)
        rc = parse_answer(buf, len, raw, rawlen, out);
    free(buf);
    return rc;
}

int zkc_reconfig(zhandle_t *zh, const char *joining, const char *leaving, struct zk_ensemble *out)
{
    return zkc_reconfig_from(zh, joining, leaving, NULL, out);
}

int zkc_reconfig_from(zhandle_t *zh, const char *joining, const char *leaving,
                      const char *from_version, struct zk_ensemble *out)
{
    char *end = NULL;
    int64_t version = from_version && *from_version ? (int64_t)strtoll(from_version, &end, 16) : -1;
    if (end && *end)
        return ZBADARGUMENTS;
    char *buf = malloc(ZKC_CONFIG_MAX);
    if (!buf)
        return ZSYSTEMERROR;
    int len = ZKC_CONFIG_MAX - 1;
    int rc = zoo_reconfig(zh, joining, leaving, NULL, version, buf, &len, NULL);
    if (rc == ZOK)
        rc = parse_answer(buf, len, NULL, 0, out);
    free(buf);
    return rc;
}
