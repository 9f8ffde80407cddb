/* etcd_client.c - the etcd client's transport: endpoints with failover, retries with backoff and
 * jitter inside one deadline, and the API detection. */
#include "etcd/etcd_client.h"

#include "etcd/etcd_parse.h"
#include "util/clock.h"
#include "util/exitcodes.h"
#include "util/http.h"
#include "util/log.h"
#include "util/redact.h"
#include "util/stopwait.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ETCD_BODY_MAX (4L << 20)
#define ETCD_ERR_MAX 256
#define ETCD_REQUEST_MS 5000 /* per request when there are several endpoints */

/* ------------------------------------------------------------------ transport */

struct etcd_client {
    struct etcd_config cfg;
    struct http_conn *http;
    long long deadline_ms;
    int current;                                    /* endpoint tried first */
    char bad[ETCD_MAX_ENDPOINTS];                   /* answered something that is not etcd */
    char base[16];                                  /* "/v3", "/v3beta", "/v3alpha", or "" for v2 */
    enum etcd_api api;                              /* resolved; AUTO until detected */
    char last_err[ETCD_URL_MAX + ETCD_ERR_MAX + 8]; /* for the final message */
    struct etcd_answer answer;        /* the last one: its body is valid until the next exchange */
    enum log_level unreachable_level; /* of the "unreachable" line: the caller may have a plan B */
    int assumed_v3; /* ETCD_API=v3: "/v3" is tried without asking /version until it answers */
};

struct etcd_client *etcd_open(const struct etcd_config *cfg)
{
    struct etcd_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cfg = *cfg;
    c->http = http_open(ETCD_BODY_MAX, 0);
    if (!c->http) {
        free(c);
        return NULL;
    }
    c->deadline_ms = clock_ms() + cfg->timeout_ms;
    c->unreachable_level = LOG_ERROR;
    c->api = cfg->api == ETCD_API_V2 ? ETCD_API_V2 : ETCD_API_AUTO;
    if (cfg->api == ETCD_API_V3) { /* etcd >= 3.4; an older one answers 404: then detect */
        c->api = ETCD_API_V3;
        snprintf(c->base, sizeof c->base, "/v3");
        c->assumed_v3 = 1;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    srandom((unsigned)(ts.tv_nsec ^ (getpid() << 16)));
    c->current = (int)(random() % cfg->nendpoints);
    return c;
}

void etcd_unreachable_is_debug(struct etcd_client *c)
{
    c->unreachable_level = LOG_DEBUG;
}

void etcd_close(struct etcd_client *c)
{
    if (!c)
        return;
    http_close(c->http);
    free(c);
}

const char *etcd_api_name(const struct etcd_client *c)
{
    if (c->api == ETCD_API_V2)
        return "v2";
    if (c->api == ETCD_API_V3)
        return c->base + 1;
    return "auto";
}

/* Endpoint EP as it may be logged: user:password@ masked (secrets are never logged). */
static const char *endpoint_shown(const struct etcd_client *c, int ep, char *buf, size_t len)
{
    const char *url = c->cfg.endpoints[ep];
    redact_urls(url, strlen(url), buf, len);
    return buf;
}

/* One HTTP exchange with endpoint EP. 0 with c->answer set, or -1 (c->last_err). */
static int http_once(struct etcd_client *c, int ep, const char *method, const char *path,
                     const char *body, long timeout_ms)
{
    char url[ETCD_URL_MAX + 1024], why[ETCD_ERR_MAX];
    snprintf(url, sizeof url, "%s%s", c->cfg.endpoints[ep], path);
    struct http_request rq = {
        .method = method,
        .url = url,
        .body = body,
        .content_type = strncmp(path, "/v2/", 4) == 0 ? "application/x-www-form-urlencoded"
                                                      : "application/json",
        .timeout_ms = timeout_ms,
        .connect_timeout_ms = timeout_ms < 3000 ? timeout_ms : 3000L,
        .http_only = 1,
    };
    if (http_exchange(c->http, &rq, why, sizeof why) != 0) {
        char shown[ETCD_URL_MAX];
        snprintf(c->last_err, sizeof c->last_err, "%s: %s",
                 endpoint_shown(c, ep, shown, sizeof shown), why);
        return -1;
    }
    c->answer.status = http_status(c->http);
    c->answer.body = http_body(c->http, &c->answer.len);
    return 0;
}

/* Waits before the next round; a pending SIGTERM/SIGINT ends the wait: returns that signal. */
static int backoff(struct etcd_client *c, int round)
{
    long long base = 50LL << (round < 6 ? round : 6); /* 50 ms .. 3.2 s */
    if (base > 2000)
        base = 2000;
    long long d = base / 2 + random() % (base / 2 + 1); /* jitter: [base/2, base] */
    long long left = c->deadline_ms - clock_ms();
    if (d > left)
        d = left;
    return stopwait_sleep_ms((long)d);
}

/* Sends the request to the endpoints in turn until CHECK accepts an answer; retries with backoff
 * until the deadline. Returns 0 or an exit code after logging. */
/* Once etcd was unreachable until a deadline, the rest of this start does not wait for it again
 * (identity, the super password and the ensemble record would each wait ETCD_TIMEOUT). */
static int known_unreachable;

void etcd_retry_unreachable(void)
{
    known_unreachable = 0;
}

int etcd_exchange(struct etcd_client *c, const char *method, const char *path, const char *body,
                  etcd_check_fn check, void *arg)
{
    const int n = c->cfg.nendpoints;
    if (known_unreachable) {
        log_debug("etcd was unreachable earlier in this start; not waiting again", "path=%s", path);
        return EXIT_UNAVAILABLE;
    }
    for (int round = 0;; round++) {
        int usable = 0;
        for (int k = 0; k < n; k++) {
            int ep = (c->current + k) % n;
            char shown[ETCD_URL_MAX];
            if (c->bad[ep])
                continue;
            usable++;
            long long left = c->deadline_ms - clock_ms();
            if (left <= 0)
                break;
            /* With other endpoints to fail over to, one that accepts but never answers must not
             * take the whole deadline. */
            long long per = n > 1 && left > ETCD_REQUEST_MS ? ETCD_REQUEST_MS : left;
            if (http_once(c, ep, method, path, body, (long)per) != 0) {
                log_debug("etcd request failed", "endpoint=%s path=%s error=\"%s\"",
                          endpoint_shown(c, ep, shown, sizeof shown), path, c->last_err);
                continue;
            }
            char err[ETCD_ERR_MAX] = "";
            /* Server errors, timeouts and cancellations (e.g. during a leader change): retry. */
            long status = c->answer.status;
            int transient = status >= 500 || status == 408 || status == 429;
            int v = transient ? ETCD_ANSWER_RETRY : check(&c->answer, arg, err, sizeof err);
            if (transient) {
                char ex[64];
                etcd_excerpt(c->answer.body, c->answer.len, ex, sizeof ex);
                snprintf(err, sizeof err, "HTTP %ld: %s", c->answer.status, ex);
            }
            if (v == ETCD_ANSWER_OK) {
                c->current = ep;
                return 0;
            }
            snprintf(c->last_err, sizeof c->last_err, "%s: %s",
                     endpoint_shown(c, ep, shown, sizeof shown), err);
            if (v == ETCD_ANSWER_RETRY)
                log_debug("etcd request failed", "endpoint=%s path=%s error=\"%s\"", shown, path,
                          err);
            if (v == ETCD_ANSWER_FATAL) {
                log_error("etcd refused a request", "path=%s error=\"%s\"", path, c->last_err);
                return EXIT_INTERNAL;
            }
            if (v == ETCD_ANSWER_GARBAGE) {
                if (n > 1)
                    log_warn("etcd endpoint answered something that is not etcd; skipping it",
                             "endpoint=%s path=%s error=\"%s\"", shown, path, err);
                c->bad[ep] = 1;
            }
        }
        if (usable == 0) {
            log_error("the etcd endpoints answered something that is not etcd",
                      "variable=%s endpoints=\"%s\" error=\"%s\" hint=\"check the URLs and ports "
                      "(etcd's client URL, e.g. http://10.0.0.1:2379)\"",
                      c->cfg.endpoints_var, c->cfg.endpoints_shown, c->last_err);
            return EXIT_USAGE;
        }
        int all_bad = 1;
        for (int k = 0; k < n; k++)
            all_bad &= c->bad[k];
        if (all_bad)
            continue; /* reported at the top of the next round */
        if (clock_ms() >= c->deadline_ms) {
            log_line(c->unreachable_level, "etcd unreachable before the deadline",
                     "endpoints=\"%s\" timeout_ms=%ld error=\"%s\" hint=\"check %s and that "
                     "etcd runs; ETCD_TIMEOUT sets the deadline\"",
                     c->cfg.endpoints_shown, c->cfg.timeout_ms, c->last_err, c->cfg.endpoints_var);
            known_unreachable = 1;
            return EXIT_UNAVAILABLE;
        }
        int sig = backoff(c, round);
        if (sig) {
            log_info("stop signal while waiting for etcd; giving up", "signal=%d", sig);
            return 128 + sig;
        }
    }
}

/* ------------------------------------------------------------------ API detection */

static int check_version(const struct etcd_answer *a, void *arg, char *err, size_t errlen)
{
    int *ver = arg;
    if (a->status != 200) {
        char ex[64];
        etcd_excerpt(a->body, a->len, ex, sizeof ex);
        snprintf(err, errlen, "/version answered HTTP %ld: %s", a->status, ex);
        return ETCD_ANSWER_GARBAGE;
    }
    int rc = etcd_parse_version(a->body, a->len, &ver[0], &ver[1], err, errlen);
    if (rc == 1)
        snprintf(err, errlen, "cluster version not decided yet");
    return rc == 0 ? ETCD_ANSWER_OK : rc == 1 ? ETCD_ANSWER_RETRY : ETCD_ANSWER_GARBAGE;
}

int etcd_detect_api(struct etcd_client *c)
{
    if (c->api != ETCD_API_AUTO)
        return 0;
    int ver[2] = {0, 0};
    int rc = etcd_exchange(c, "GET", "/version", NULL, check_version, ver);
    if (rc != 0)
        return rc;
    if (ver[0] == 2) {
        if (c->cfg.api == ETCD_API_V3) {
            log_error("etcd is version 2 and has no v3 API", "variable=ETCD_API value=v3 "
                                                             "hint=\"use ETCD_API=v2 or auto\"");
            return EXIT_USAGE;
        }
        c->api = ETCD_API_V2;
    } else {
        c->api = ETCD_API_V3;
        snprintf(c->base, sizeof c->base, "%s",
                 ver[0] > 3 || ver[1] >= 4 ? "/v3"
                 : ver[1] == 3             ? "/v3beta"
                                           : "/v3alpha");
    }
    log_debug("etcd API", "api=%s cluster_version=%d.%d", etcd_api_name(c), ver[0], ver[1]);
    return 0;
}

/* A request to an assumed "/v3": a 404 means an older gateway path (nothing was applied). */
struct assumed {
    etcd_check_fn check;
    void *arg;
    int not_found;
};

static int check_assumed(const struct etcd_answer *a, void *arg, char *err, size_t errlen)
{
    struct assumed *as = arg;
    if (a->status == 404) {
        as->not_found = 1;
        return ETCD_ANSWER_OK;
    }
    return as->check(a, as->arg, err, errlen);
}

int etcd_v3_post(struct etcd_client *c, const char *what, const char *body, etcd_check_fn check,
                 void *arg)
{
    char path[64];
    snprintf(path, sizeof path, "%s/kv/%s", c->base, what);
    if (!c->assumed_v3)
        return etcd_exchange(c, "POST", path, body, check, arg);
    struct assumed as = {check, arg, 0};
    int rc = etcd_exchange(c, "POST", path, body, check_assumed, &as);
    c->assumed_v3 = 0;
    if (rc == 0 && as.not_found) {
        log_debug("no /v3 gateway; asking /version", "path=%s", path);
        c->api = ETCD_API_AUTO;
        rc = etcd_detect_api(c);
        snprintf(path, sizeof path, "%s/kv/%s", c->base, what);
        if (rc == 0)
            rc = etcd_exchange(c, "POST", path, body, check, arg);
    }
    return rc;
}

enum etcd_api etcd_api_in_use(const struct etcd_client *c)
{
    return c->api;
}
