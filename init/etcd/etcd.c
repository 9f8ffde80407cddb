/* etcd.c - a small etcd client (libcurl + cJSON): v3 JSON gateway or v2 keys API, endpoint
 * failover, retries with backoff and jitter, one overall deadline. */
#include "etcd/etcd.h"

#include "util/base64.h"
#include "util/clock.h"
#include "util/exitcodes.h"
#include "util/http.h"
#include "util/log.h"
#include "util/redact.h"
#include "util/stopwait.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ETCD_BODY_MAX (4L << 20)
#define ETCD_ERR_MAX 256
#define ETCD_REQUEST_MS 5000 /* per request when there are several endpoints */
#define ETCD_PAGE 100        /* keys per v3 range page */

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
    struct {
        const char *p; /* the last answer's body: valid until the next exchange */
        size_t len;
    } resp;
    long status;                      /* of the last answer */
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

/* One HTTP exchange with endpoint EP. 0 with c->status and the body set, or -1 (c->last_err). */
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
    c->status = http_status(c->http);
    c->resp.p = http_body(c->http, &c->resp.len);
    return 0;
}

/* Verdict of a response check. */
enum { ANSWER_OK = 0, ANSWER_RETRY = 1, ANSWER_GARBAGE = -1, ANSWER_FATAL = -2 };
typedef int (*check_fn)(struct etcd_client *c, void *arg, char *err, size_t errlen);

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

static int exchange(struct etcd_client *c, const char *method, const char *path, const char *body,
                    check_fn check, void *arg)
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
            int transient = c->status >= 500 || c->status == 408 || c->status == 429;
            int v = transient ? ANSWER_RETRY : check(c, arg, err, sizeof err);
            if (transient) {
                char ex[64];
                etcd_excerpt(c->resp.p, c->resp.len, ex, sizeof ex);
                snprintf(err, sizeof err, "HTTP %ld: %s", c->status, ex);
            }
            if (v == ANSWER_OK) {
                c->current = ep;
                return 0;
            }
            snprintf(c->last_err, sizeof c->last_err, "%s: %s",
                     endpoint_shown(c, ep, shown, sizeof shown), err);
            if (v == ANSWER_RETRY)
                log_debug("etcd request failed", "endpoint=%s path=%s error=\"%s\"", shown, path,
                          err);
            if (v == ANSWER_FATAL) {
                log_error("etcd refused a request", "path=%s error=\"%s\"", path, c->last_err);
                return EXIT_INTERNAL;
            }
            if (v == ANSWER_GARBAGE) {
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

static int check_version(struct etcd_client *c, void *arg, char *err, size_t errlen)
{
    int *ver = arg;
    if (c->status != 200) {
        char ex[64];
        etcd_excerpt(c->resp.p, c->resp.len, ex, sizeof ex);
        snprintf(err, errlen, "/version answered HTTP %ld: %s", c->status, ex);
        return ANSWER_GARBAGE;
    }
    int rc = etcd_parse_version(c->resp.p, c->resp.len, &ver[0], &ver[1], err, errlen);
    if (rc == 1)
        snprintf(err, errlen, "cluster version not decided yet");
    return rc == 0 ? ANSWER_OK : rc == 1 ? ANSWER_RETRY : ANSWER_GARBAGE;
}

static int detect_api(struct etcd_client *c)
{
    if (c->api != ETCD_API_AUTO)
        return 0;
    int ver[2] = {0, 0};
    int rc = exchange(c, "GET", "/version", NULL, check_version, ver);
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

/* ------------------------------------------------------------------ operations */

struct op {
    etcd_kv_fn fn;
    void *arg;
    int count;
    int more;        /* v3 range: a limited range has more keys */
    long long index; /* v2: the createdIndex of an in-order key */
    int error_code;  /* v2 */
    int succeeded;   /* v3 txn */
    int has_existing;
    char *existing;
    size_t elen;
};

/* A non-200 answer that is not a server error: etcd's own refusal, or not etcd at all. */
static int v3_refusal(struct etcd_client *c, char *err, size_t errlen)
{
    int fatal = etcd_v3_parse_error(c->resp.p, c->resp.len, err, errlen);
    if (!fatal) {
        char ex[64];
        etcd_excerpt(c->resp.p, c->resp.len, ex, sizeof ex);
        snprintf(err, errlen, "HTTP %ld: %s", c->status, ex);
    }
    return fatal && c->status != 404 ? ANSWER_FATAL : ANSWER_GARBAGE;
}

static int check_v3_range(struct etcd_client *c, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    if (c->status != 200)
        return v3_refusal(c, err, errlen);
    op->count =
        etcd_v3_parse_range(c->resp.p, c->resp.len, op->fn, op->arg, &op->more, err, errlen);
    return op->count >= 0 ? ANSWER_OK : ANSWER_GARBAGE;
}

static int check_v3_txn(struct etcd_client *c, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    if (c->status != 200)
        return v3_refusal(c, err, errlen);
    int rc = etcd_v3_parse_txn(c->resp.p, c->resp.len, &op->succeeded, op->existing, op->elen,
                               &op->has_existing, err, errlen);
    return rc == 0 ? ANSWER_OK : ANSWER_GARBAGE;
}

static int check_v2(struct etcd_client *c, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    op->count =
        etcd_v2_parse(c->resp.p, c->resp.len, &op->error_code, op->fn, op->arg, err, errlen);
    if (op->count < 0) {
        if (c->status == 404)
            snprintf(err, errlen,
                     "no v2 keys API here (HTTP 404); start etcd with "
                     "--enable-v2=true or use ETCD_API=v3");
        return ANSWER_GARBAGE;
    }
    return ANSWER_OK;
}

static char *v3_json(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

static cJSON *b64_bytes(const char *s, size_t len)
{
    char *buf = malloc(len / 3 * 4 + 8);
    if (!buf)
        return NULL;
    base64_encode(s, len, buf, len / 3 * 4 + 8);
    cJSON *j = cJSON_CreateString(buf);
    free(buf);
    return j;
}

static cJSON *b64_string(const char *s)
{
    return b64_bytes(s, strlen(s));
}

/* The end of the range of keys that start with PREFIX: PREFIX with its last byte plus one. */
static cJSON *b64_prefix_end(const char *prefix)
{
    char end[ETCD_PREFIX_MAX + 256];
    snprintf(end, sizeof end, "%s", prefix);
    size_t n = strlen(end);
    if (n > 0)
        end[n - 1] = (char)(end[n - 1] + 1);
    return b64_string(end);
}

/* {"key": b64(KEY)} plus, for a prefix, "range_end". */
static cJSON *v3_range_req(const char *key, int prefix)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddItemToObject(j, "key", b64_string(key));
    if (prefix)
        cJSON_AddItemToObject(j, "range_end", b64_prefix_end(key));
    return j;
}

/* A request to an assumed "/v3": a 404 means an older gateway path (nothing was applied). */
struct assumed {
    check_fn check;
    struct op *op;
    int not_found;
};

static int check_assumed(struct etcd_client *c, void *arg, char *err, size_t errlen)
{
    struct assumed *as = arg;
    if (c->status == 404) {
        as->not_found = 1;
        return ANSWER_OK;
    }
    return as->check(c, as->op, err, errlen);
}

static int v3_call(struct etcd_client *c, const char *what, cJSON *req, check_fn check,
                   struct op *op)
{
    char path[64];
    snprintf(path, sizeof path, "%s/kv/%s", c->base, what);
    char *body = v3_json(req);
    if (!body) {
        log_error("out of memory", NULL);
        return EXIT_INTERNAL;
    }
    int rc;
    if (c->assumed_v3) {
        struct assumed as = {check, op, 0};
        rc = exchange(c, "POST", path, body, check_assumed, &as);
        c->assumed_v3 = 0;
        if (rc == 0 && as.not_found) {
            log_debug("no /v3 gateway; asking /version", "path=%s", path);
            c->api = ETCD_API_AUTO;
            rc = detect_api(c);
            snprintf(path, sizeof path, "%s/kv/%s", c->base, what);
            if (rc == 0)
                rc = exchange(c, "POST", path, body, check, op);
        }
    } else {
        rc = exchange(c, "POST", path, body, check, op);
    }
    free(body);
    return rc;
}

static int v2_call(struct etcd_client *c, const char *method, const char *key, const char *query,
                   const char *form, struct op *op)
{
    char path[ETCD_PREFIX_MAX * 3 + 1024];
    if (etcd_v2_path(key, path, sizeof path - 128) != 0) {
        log_error("etcd key too long", "key=\"%s\"", key);
        return EXIT_USAGE;
    }
    if (query)
        strncat(path, query, sizeof path - strlen(path) - 1);
    return exchange(c, method, path, form, check_v2, op);
}

static int store_value(const char *key, const char *value, long long rev, void *arg)
{
    (void)key;
    (void)rev;
    struct op *op = arg;
    snprintf(op->existing, op->elen, "%s", value);
    op->has_existing = 1;
    return 1;
}

int etcd_get(struct etcd_client *c, const char *key, char *val, size_t vlen, int *found)
{
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    struct op op = {.existing = val, .elen = vlen};
    op.fn = store_value;
    op.arg = &op;
    val[0] = '\0';
    if (c->api == ETCD_API_V2) {
        rc = v2_call(c, "GET", key, NULL, NULL, &op);
        if (rc == 0 && op.error_code && op.error_code != 100) {
            log_error("etcd refused a read", "key=\"%s\" errorCode=%d", key, op.error_code);
            return EXIT_INTERNAL;
        }
    } else {
        rc = v3_call(c, "range", v3_range_req(key, 0), check_v3_range, &op);
    }
    *found = rc == 0 && op.has_existing;
    return rc;
}

static char *form_value(const char *value)
{
    return http_param("", "value", value);
}

/* v3: a txn whose compare is C0 (owned by the txn) and whose success puts KEY = VALUE. */
static cJSON *v3_put_txn(const char *key, const char *value, cJSON *c0)
{
    cJSON *req = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "compare"), c0);
    cJSON *put = cJSON_CreateObject();
    cJSON_AddItemToObject(put, "key", b64_string(key));
    cJSON_AddItemToObject(put, "value", b64_string(value));
    cJSON *s0 = cJSON_CreateObject();
    cJSON_AddItemToObject(s0, "request_put", put);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "success"), s0);
    return req;
}

int etcd_create(struct etcd_client *c, const char *key, const char *value, int *created,
                char *existing, size_t elen)
{
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    *created = 0;
    if (elen)
        existing[0] = '\0';
    struct op op = {.existing = existing, .elen = elen};
    if (c->api == ETCD_API_V2) {
        char *form = form_value(value);
        if (!form)
            return EXIT_INTERNAL;
        rc = v2_call(c, "PUT", key, "?prevExist=false", form, &op);
        free(form);
        if (rc != 0)
            return rc;
        if (op.error_code == 0) {
            *created = 1;
            return 0;
        }
        if (op.error_code != 105) {
            log_error("etcd refused a create",
                      "key=\"%s\" errorCode=%d hint=\"is it a "
                      "directory?\"",
                      key, op.error_code);
            return EXIT_CONFIG;
        }
        int found;
        return elen ? etcd_get(c, key, existing, elen, &found) : 0;
    }
    cJSON *c0 = cJSON_CreateObject();
    cJSON_AddItemToObject(c0, "key", b64_string(key));
    cJSON_AddStringToObject(c0, "result", "EQUAL");
    cJSON_AddStringToObject(c0, "target", "CREATE");
    cJSON_AddStringToObject(c0, "create_revision", "0");
    cJSON *req = v3_put_txn(key, value, c0);
    cJSON *f0 = cJSON_CreateObject();
    cJSON_AddItemToObject(f0, "request_range", v3_range_req(key, 0));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "failure"), f0);
    rc = v3_call(c, "txn", req, check_v3_txn, &op);
    if (rc == 0)
        *created = op.succeeded;
    return rc;
}

/* v3: put KEY = VALUE in a txn whose compare is C0; the answer says whether it succeeded. */
static int v3_put_if(struct etcd_client *c, const char *key, const char *value, cJSON *c0,
                     int *swapped)
{
    char existing[8];
    struct op op = {.existing = existing, .elen = sizeof existing};
    cJSON *req = v3_put_txn(key, value, c0);
    int rc = v3_call(c, "txn", req, check_v3_txn, &op);
    if (rc == 0)
        *swapped = op.succeeded;
    return rc;
}

int etcd_replace(struct etcd_client *c, const char *key, const char *expected, const char *value,
                 int *swapped)
{
    char existing[8];
    *swapped = 0;
    if (!expected || !*expected)
        return etcd_create(c, key, value, swapped, existing, sizeof existing);
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    if (c->api == ETCD_API_V2) {
        struct op op = {.existing = existing, .elen = sizeof existing};
        char *form = form_value(value);
        char *query = http_param("?", "prevValue", expected);
        if (form && query)
            rc = v2_call(c, "PUT", key, query, form, &op);
        else
            rc = EXIT_INTERNAL;
        free(form);
        free(query);
        if (rc == 0)
            *swapped = op.error_code == 0; /* 101 compare failed, 100 key not found */
        return rc;
    }
    cJSON *c0 = cJSON_CreateObject();
    cJSON_AddItemToObject(c0, "key", b64_string(key));
    cJSON_AddStringToObject(c0, "result", "EQUAL");
    cJSON_AddStringToObject(c0, "target", "VALUE");
    cJSON_AddItemToObject(c0, "value", b64_string(expected));
    return v3_put_if(c, key, value, c0, swapped);
}

int etcd_delete_if(struct etcd_client *c, const char *key, const char *value)
{
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    char existing[8];
    struct op op = {.existing = existing, .elen = sizeof existing};
    if (c->api == ETCD_API_V2) {
        char *query = http_param("?", "prevValue", value);
        if (!query)
            return EXIT_INTERNAL;
        rc = v2_call(c, "DELETE", key, query, NULL, &op); /* 100/101: not ours, fine */
        free(query);
        return rc;
    }
    cJSON *req = cJSON_CreateObject();
    cJSON *c0 = cJSON_CreateObject();
    cJSON_AddItemToObject(c0, "key", b64_string(key));
    cJSON_AddStringToObject(c0, "result", "EQUAL");
    cJSON_AddStringToObject(c0, "target", "VALUE");
    cJSON_AddItemToObject(c0, "value", b64_string(value));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "compare"), c0);
    cJSON *s0 = cJSON_CreateObject();
    cJSON_AddItemToObject(s0, "request_delete_range", v3_range_req(key, 0));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "success"), s0);
    return v3_call(c, "txn", req, check_v3_txn, &op);
}

/* v3 paging: remembers the last key of a page, passes every key on. */
struct pager {
    etcd_kv_fn fn;
    void *arg;
    char last[ETCD_PREFIX_MAX + 128];
    int stopped;
};

static int page_key(const char *key, const char *value, long long rev, void *arg)
{
    struct pager *p = arg;
    snprintf(p->last, sizeof p->last, "%s", key);
    if (p->fn && p->fn(key, value, rev, p->arg) != 0)
        p->stopped = 1;
    return p->stopped;
}

/* Every key under PREFIX in pages of ETCD_PAGE keys (each page starts after the last key). */
static int v3_list_paged(struct etcd_client *c, const char *prefix, etcd_kv_fn fn, void *arg)
{
    struct pager pg = {.fn = fn, .arg = arg};
    struct op op = {.fn = page_key, .arg = &pg};
    for (int page = 0;; page++) {
        cJSON *req = cJSON_CreateObject();
        if (page == 0)
            cJSON_AddItemToObject(req, "key", b64_string(prefix));
        else /* the smallest key after the last one: last + NUL */
            cJSON_AddItemToObject(req, "key", b64_bytes(pg.last, strlen(pg.last) + 1));
        cJSON_AddItemToObject(req, "range_end", b64_prefix_end(prefix));
        cJSON_AddNumberToObject(req, "limit", ETCD_PAGE);
        op.more = 0;
        int rc = v3_call(c, "range", req, check_v3_range, &op);
        if (rc != 0 || !op.more || pg.stopped || op.count == 0)
            return rc;
    }
}

int etcd_list(struct etcd_client *c, const char *prefix, etcd_kv_fn fn, void *arg)
{
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    struct op op = {.fn = fn, .arg = arg};
    if (c->api == ETCD_API_V2) {
        char dir[ETCD_PREFIX_MAX + 128];
        snprintf(dir, sizeof dir, "%s", prefix);
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/')
            dir[--n] = '\0';
        rc = v2_call(c, "GET", dir, "?recursive=true", NULL, &op);
        if (rc == 0 && op.error_code && op.error_code != 100) {
            log_error("etcd refused a listing", "key=\"%s\" errorCode=%d", dir, op.error_code);
            return EXIT_INTERNAL;
        }
        return rc;
    }
    return v3_list_paged(c, prefix, fn, arg);
}

int etcd_detect(struct etcd_client *c, int *has_txn)
{
    int rc = detect_api(c);
    *has_txn = rc == 0 && c->api == ETCD_API_V3;
    return rc;
}

static int check_v3_txn_ranges(struct etcd_client *c, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    if (c->status != 200)
        return v3_refusal(c, err, errlen);
    op->count = etcd_v3_parse_txn_ranges(c->resp.p, c->resp.len, &op->succeeded, op->fn, op->arg,
                                         err, errlen);
    return op->count >= 0 ? ANSWER_OK : ANSWER_GARBAGE;
}

static cJSON *txn_compare(const struct etcd_cmp *cmp)
{
    cJSON *c0 = cJSON_CreateObject();
    cJSON_AddItemToObject(c0, "key", b64_string(cmp->key));
    cJSON_AddStringToObject(c0, "result", "EQUAL");
    if (cmp->value) {
        cJSON_AddStringToObject(c0, "target", "VALUE");
        cJSON_AddItemToObject(c0, "value", b64_string(cmp->value));
    } else {
        cJSON_AddStringToObject(c0, "target", "CREATE");
        cJSON_AddStringToObject(c0, "create_revision", "0");
    }
    return c0;
}

static void txn_add_ranges(cJSON *ops, const struct etcd_txn *t)
{
    for (int i = 0; i < t->nranges; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddItemToObject(r, "request_range", v3_range_req(t->ranges[i], 1));
        cJSON_AddItemToArray(ops, r);
    }
}

static void txn_add_puts(cJSON *ops, const struct etcd_put *puts, int n)
{
    for (int i = 0; i < n; i++) {
        cJSON *put = cJSON_CreateObject();
        cJSON_AddItemToObject(put, "key", b64_string(puts[i].key));
        cJSON_AddItemToObject(put, "value", b64_string(puts[i].value));
        cJSON *op = cJSON_CreateObject();
        cJSON_AddItemToObject(op, "request_put", put);
        cJSON_AddItemToArray(ops, op);
    }
}

static cJSON *txn_request(const struct etcd_txn *t)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *compare = cJSON_AddArrayToObject(req, "compare");
    for (int i = 0; i < t->ncmps; i++)
        cJSON_AddItemToArray(compare, txn_compare(&t->cmps[i]));
    cJSON *success = cJSON_AddArrayToObject(req, "success");
    txn_add_puts(success, t->puts, t->nputs);
    for (int i = 0; i < t->ndels; i++) {
        cJSON *op = cJSON_CreateObject();
        cJSON_AddItemToObject(op, "request_delete_range", v3_range_req(t->dels[i], 0));
        cJSON_AddItemToArray(success, op);
    }
    if (t->ncmps == 0 || t->ranges_on_success)
        txn_add_ranges(success, t);
    txn_add_ranges(cJSON_AddArrayToObject(req, "failure"), t);
    return req;
}

int etcd_txn(struct etcd_client *c, const struct etcd_txn *t, etcd_kv_fn fn, void *arg,
             int *succeeded)
{
    *succeeded = 0;
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    if (c->api == ETCD_API_V2) {
        log_error("internal: a transaction needs the v3 API", NULL);
        return EXIT_INTERNAL;
    }
    struct op op = {.fn = fn, .arg = arg};
    rc = v3_call(c, "txn", txn_request(t), check_v3_txn_ranges, &op);
    *succeeded = rc == 0 && op.succeeded;
    return rc;
}

/* v2 in-order key: POST DIR value=VALUE&ttl=TTL; the created key and its index come back. */
static int take_created(const char *key, const char *value, long long rev, void *arg)
{
    (void)value;
    struct op *op = arg;
    snprintf(op->existing, op->elen, "%s", key);
    op->index = rev;
    return 1;
}

int etcd_v2_enqueue(struct etcd_client *c, const char *dir, const char *value, int ttl_s,
                    char *created, size_t clen, long long *index)
{
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    created[0] = '\0';
    *index = 0;
    struct op op = {.existing = created, .elen = clen};
    op.fn = take_created;
    op.arg = &op;
    char *form = form_value(value);
    size_t n = form ? strlen(form) + 32 : 0;
    char *body = form ? malloc(n) : NULL;
    if (!body) {
        free(form);
        return EXIT_INTERNAL;
    }
    snprintf(body, n, "%s&ttl=%d", form, ttl_s);
    free(form);
    rc = v2_call(c, "POST", dir, NULL, body, &op);
    free(body);
    if (rc == 0 && (op.error_code || !created[0])) {
        log_error("etcd refused an in-order key", "key=\"%s\" errorCode=%d", dir, op.error_code);
        return EXIT_INTERNAL;
    }
    *index = op.index;
    return rc;
}
