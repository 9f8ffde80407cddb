/* etcd.c - a small etcd client (libcurl + cJSON): v3 JSON gateway or v2 keys API, endpoint
 * failover, retries with backoff and jitter, one overall deadline. */
#include "etcd.h"

#include "base64.h"

#include "exitcodes.h"
#include "log.h"
#include "parse.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define ETCD_BODY_MAX (4L << 20)
#define ETCD_ERR_MAX 256
#define ETCD_REQUEST_MS 5000 /* per request when there are several endpoints */

/* ------------------------------------------------------------------ configuration */

static int add_endpoint(struct etcd_config *cfg, const char *s, size_t n, char *err, size_t errlen)
{
    char url[ETCD_URL_MAX];
    if (n == 0) {
        snprintf(err, errlen, "empty entry in the list");
        return -1;
    }
    if (n >= sizeof url) {
        snprintf(err, errlen, "URL too long");
        return -1;
    }
    memcpy(url, s, n);
    url[n] = '\0';
    while (n > 0 && url[n - 1] == '/')
        url[--n] = '\0';
    const char *host = NULL;
    if (strncasecmp(url, "http://", 7) == 0)
        host = url + 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        host = url + 8;
    if (!host) {
        snprintf(err, errlen, "\"%.64s\" is not an http:// or https:// URL", url);
        return -1;
    }
    for (const char *p = url; *p; p++) {
        if (!isgraph((unsigned char)*p) || *p == '?' || *p == '#' || *p == '"' || *p == '\\') {
            snprintf(err, errlen, "\"%.64s\" holds a character a URL cannot have here", url);
            return -1;
        }
    }
    if (!*host || *host == '/' || *host == ':' || *host == '@' || strchr(host, '/')) {
        snprintf(err, errlen, "\"%.64s\" needs a host (and no path), e.g. http://10.0.0.1:2379",
                 url);
        return -1;
    }
    if (cfg->nendpoints == ETCD_MAX_ENDPOINTS) {
        snprintf(err, errlen, "more than %d endpoints", ETCD_MAX_ENDPOINTS);
        return -1;
    }
    memcpy(cfg->endpoints[cfg->nendpoints++], url, n + 1);
    /* Shown form: user:password@ masked. */
    const char *at = strchr(host, '@');
    char shown[ETCD_URL_MAX + 8];
    if (at)
        snprintf(shown, sizeof shown, "%.*s***%s", (int)(host - url), url, at);
    else
        snprintf(shown, sizeof shown, "%s", url);
    size_t used = strlen(cfg->endpoints_shown);
    snprintf(cfg->endpoints_shown + used, sizeof cfg->endpoints_shown - used, "%s%s",
             used ? "," : "", shown);
    return 0;
}

int etcd_parse_endpoints(const char *s, struct etcd_config *cfg, char *err, size_t errlen)
{
    cfg->nendpoints = 0;
    cfg->endpoints_shown[0] = '\0';
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (add_endpoint(cfg, s, n, err, errlen) != 0)
            return -1;
        if (!end)
            return 0;
        s = end + 1;
    }
}

static int prefix_ok(const char *p)
{
    if (p[0] != '/' || strlen(p) >= ETCD_PREFIX_MAX)
        return 0;
    for (const char *q = p; *q; q++) {
        if (!isgraph((unsigned char)*q) || (q[0] == '/' && q[1] == '/'))
            return 0;
    }
    return 1;
}

int etcd_config_from_env(struct etcd_config *cfg, int *enabled)
{
    memset(cfg, 0, sizeof *cfg);
    *enabled = 0;
    cfg->endpoints_var = "ETCD_ENDPOINTS";
    const char *eps = getenv("ETCD_ENDPOINTS");
    if (!eps || !*eps) {
        cfg->endpoints_var = "ETCDCTL_ENDPOINTS";
        eps = getenv("ETCDCTL_ENDPOINTS");
    }
    if (!eps || !*eps)
        return 0;
    char err[ETCD_ERR_MAX];
    if (etcd_parse_endpoints(eps, cfg, err, sizeof err) != 0) {
        log_error("bad environment value",
                  "variable=%s error=\"%s\" hint=\"use comma-separated URLs, e.g. "
                  "http://10.0.0.1:2379,http://10.0.0.2:2379\"",
                  cfg->endpoints_var, err);
        return EXIT_USAGE;
    }
    const char *prefix = getenv("ETCD_PREFIX");
    if (!prefix || !*prefix)
        prefix = "/zookeeper";
    snprintf(cfg->prefix, sizeof cfg->prefix, "%s", prefix);
    size_t pl = strlen(cfg->prefix);
    while (pl > 1 && cfg->prefix[pl - 1] == '/')
        cfg->prefix[--pl] = '\0';
    if (!prefix_ok(prefix) || strcmp(cfg->prefix, "/") == 0) {
        log_error("bad environment value",
                  "variable=ETCD_PREFIX value=\"%s\" hint=\"use a key path such as /zookeeper "
                  "(starts with /, no blanks, no //)\"",
                  prefix);
        return EXIT_USAGE;
    }
    const char *api = getenv("ETCD_API");
    if (!api || !*api || strcmp(api, "auto") == 0) {
        cfg->api = ETCD_API_AUTO;
    } else if (strcmp(api, "v3") == 0) {
        cfg->api = ETCD_API_V3;
    } else if (strcmp(api, "v2") == 0) {
        cfg->api = ETCD_API_V2;
    } else {
        log_error("bad environment value",
                  "variable=ETCD_API value=\"%s\" hint=\"use auto, v3 or v2\"", api);
        return EXIT_USAGE;
    }
    if (env_seconds_ms("ETCD_TIMEOUT", 30000, &cfg->timeout_ms) != 0)
        return EXIT_USAGE;
    if (cfg->timeout_ms <= 0) {
        log_error("bad environment value",
                  "variable=ETCD_TIMEOUT value=\"%s\" hint=\"use seconds greater than 0, e.g. 30\"",
                  getenv("ETCD_TIMEOUT"));
        return EXIT_USAGE;
    }
    *enabled = 1;
    return 0;
}

/* ------------------------------------------------------------------ pure helpers */

int etcd_v2_path(const char *key, char *out, size_t outlen)
{
    static const char hex[] = "0123456789ABCDEF";
    int n = snprintf(out, outlen, "/v2/keys");
    if (n < 0 || (size_t)n >= outlen)
        return -1;
    size_t o = (size_t)n;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        int plain = isalnum(*p) || strchr("/._~:-", *p);
        if (o + (plain ? 1 : 3) + 1 > outlen)
            return -1;
        if (plain) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
    return 0;
}

/* A printable, quote-free excerpt of BODY for error messages. */
static void excerpt(const char *body, size_t len, char *out, size_t outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 2 < outlen && i < 60; i++) {
        unsigned char ch = (unsigned char)body[i];
        out[o++] = (char)(isprint(ch) && ch != '"' && ch != '\\' ? ch : '.');
    }
    out[o] = '\0';
    if (len == 0)
        snprintf(out, outlen, "(empty)");
}

static cJSON *parse_object(const char *body, size_t len, char *err, size_t errlen)
{
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j || !cJSON_IsObject(j)) {
        char ex[64];
        excerpt(body, len, ex, sizeof ex);
        snprintf(err, errlen, "not a JSON answer from etcd: %s", ex);
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* "3.4.0" -> 3, 4. 0, or -1. */
static int parse_version(const char *s, int *major, int *minor)
{
    char *end;
    long ma = strtol(s, &end, 10);
    if (end == s || *end != '.' || ma < 2 || ma > 99 || !isdigit((unsigned char)end[1]))
        return -1;
    const char *p = end + 1;
    long mi = strtol(p, &end, 10);
    if (end == p || mi < 0 || mi > 999 || (*end && *end != '.'))
        return -1;
    *major = (int)ma;
    *minor = (int)mi;
    return 0;
}

int etcd_parse_version(const char *body, size_t len, int *major, int *minor, char *err,
                       size_t errlen)
{
    cJSON *j = parse_object(body, len, err, errlen);
    if (!j)
        return -1;
    const cJSON *cl = cJSON_GetObjectItemCaseSensitive(j, "etcdcluster");
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(j, "etcdserver");
    int rc = -1;
    if (!cJSON_IsString(cl) || !cJSON_IsString(sv)) {
        snprintf(err, errlen, "/version answer has no etcdserver/etcdcluster");
    } else if (strcmp(cl->valuestring, "not_decided") == 0) {
        rc = 1;
    } else if (parse_version(cl->valuestring, major, minor) == 0) {
        rc = 0;
    } else {
        snprintf(err, errlen, "/version has an unknown cluster version");
    }
    cJSON_Delete(j);
    return rc;
}

/* A gateway error {"error":"...","code":N,"message":"..."}: copies it into ERR, returns 1. */
static int v3_gateway_error(const cJSON *j, char *err, size_t errlen)
{
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    if (!cJSON_IsString(msg))
        msg = cJSON_GetObjectItemCaseSensitive(j, "error");
    if (!cJSON_IsString(msg))
        return 0;
    snprintf(err, errlen, "etcd error: %.120s", msg->valuestring);
    return 1;
}

static const cJSON *v3_header_or_error(const cJSON *j, char *err, size_t errlen)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "header");
    if (cJSON_IsObject(h))
        return h;
    if (!v3_gateway_error(j, err, errlen))
        snprintf(err, errlen, "not a v3 answer (no header)");
    return NULL;
}

/* Decodes a base64 JSON string member NAME of KV into OUT (cut to fit). 0, or -1. */
static int kv_field(const cJSON *kv, const char *name, char *out, size_t outlen)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(kv, name);
    out[0] = '\0';
    if (!f)
        return 0; /* protobuf JSON omits empty values */
    if (!cJSON_IsString(f))
        return -1;
    size_t len = strlen(f->valuestring);
    char *tmp = malloc(len / 4 * 3 + 4);
    if (!tmp)
        return -1;
    int n = base64_decode(f->valuestring, len, tmp, len / 4 * 3 + 4);
    if (n >= 0)
        snprintf(out, outlen, "%.*s", n, tmp);
    free(tmp);
    return n < 0 ? -1 : 0;
}

static int walk_v3_kvs(const cJSON *kvs, etcd_kv_fn fn, void *arg, char *err, size_t errlen)
{
    if (!kvs)
        return 0;
    if (!cJSON_IsArray(kvs)) {
        snprintf(err, errlen, "kvs is not a list");
        return -1;
    }
    int count = 0;
    const cJSON *kv;
    cJSON_ArrayForEach(kv, kvs)
    {
        char key[ETCD_PREFIX_MAX + 128], val[ETCD_VALUE_MAX];
        if (!cJSON_IsObject(kv) || kv_field(kv, "key", key, sizeof key) != 0 ||
            kv_field(kv, "value", val, sizeof val) != 0) {
            snprintf(err, errlen, "bad key/value entry in a v3 answer");
            return -1;
        }
        count++;
        if (fn && fn(key, val, arg) != 0)
            break;
    }
    return count;
}

int etcd_v3_parse_range(const char *body, size_t len, etcd_kv_fn fn, void *arg, char *err,
                        size_t errlen)
{
    cJSON *j = parse_object(body, len, err, errlen);
    if (!j)
        return -1;
    int rc = -1;
    if (v3_header_or_error(j, err, errlen))
        rc = walk_v3_kvs(cJSON_GetObjectItemCaseSensitive(j, "kvs"), fn, arg, err, errlen);
    cJSON_Delete(j);
    return rc;
}

static int first_value(const char *key, const char *value, void *arg)
{
    (void)key;
    char **dst = arg;
    snprintf(dst[0], (size_t)(dst[1] - dst[0]), "%s", value);
    return 1;
}

int etcd_v3_parse_txn(const char *body, size_t len, int *succeeded, char *existing, size_t elen,
                      int *has_existing, char *err, size_t errlen)
{
    *succeeded = 0;
    *has_existing = 0;
    if (elen)
        existing[0] = '\0';
    cJSON *j = parse_object(body, len, err, errlen);
    if (!j)
        return -1;
    int rc = -1;
    if (v3_header_or_error(j, err, errlen)) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "succeeded");
        const cJSON *resp = cJSON_GetObjectItemCaseSensitive(j, "responses");
        rc = 0;
        if (s && !cJSON_IsBool(s)) {
            snprintf(err, errlen, "succeeded is not true/false");
            rc = -1;
        } else if (resp && !cJSON_IsArray(resp)) {
            snprintf(err, errlen, "responses is not a list");
            rc = -1;
        }
        *succeeded = cJSON_IsTrue(s);
        const cJSON *r0 = rc == 0 ? cJSON_GetArrayItem(resp, 0) : NULL;
        const cJSON *range = cJSON_GetObjectItemCaseSensitive(r0, "response_range");
        if (!*succeeded && range) {
            char *dst[2] = {existing, existing + elen};
            int n = walk_v3_kvs(cJSON_GetObjectItemCaseSensitive(range, "kvs"),
                                elen ? first_value : NULL, dst, err, errlen);
            if (n < 0)
                rc = -1;
            *has_existing = n > 0;
        }
    }
    cJSON_Delete(j);
    return rc;
}

static int walk_v2_node(const cJSON *node, etcd_kv_fn fn, void *arg, int depth, char *err,
                        size_t errlen)
{
    if (!cJSON_IsObject(node) || depth > 32) {
        snprintf(err, errlen, "bad node in a v2 answer");
        return -1;
    }
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(node, "key");
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(node, "nodes");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(node, "dir")) || nodes) {
        if (nodes && !cJSON_IsArray(nodes)) {
            snprintf(err, errlen, "nodes is not a list");
            return -1;
        }
        int count = 0;
        const cJSON *child;
        cJSON_ArrayForEach(child, nodes)
        {
            int n = walk_v2_node(child, fn, arg, depth + 1, err, errlen);
            if (n < 0)
                return -1;
            count += n;
        }
        return count;
    }
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(node, "value");
    if (!cJSON_IsString(key) || (value && !cJSON_IsString(value))) {
        snprintf(err, errlen, "bad node in a v2 answer");
        return -1;
    }
    if (fn)
        fn(key->valuestring, value ? value->valuestring : "", arg);
    return 1;
}

int etcd_v2_parse(const char *body, size_t len, int *error_code, etcd_kv_fn fn, void *arg,
                  char *err, size_t errlen)
{
    *error_code = 0;
    cJSON *j = parse_object(body, len, err, errlen);
    if (!j)
        return -1;
    int rc = -1;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "errorCode");
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(j, "node");
    if (cJSON_IsNumber(code) && code->valuedouble >= 1 && code->valuedouble < 1000) {
        *error_code = (int)code->valuedouble;
        rc = 0;
    } else if (node) {
        rc = walk_v2_node(node, fn, arg, 0, err, errlen);
    } else {
        snprintf(err, errlen, "not a v2 keys answer (no node, no errorCode)");
    }
    cJSON_Delete(j);
    return rc;
}

/* ------------------------------------------------------------------ transport */

struct body {
    char *p;
    size_t len, cap;
};

struct etcd_client {
    struct etcd_config cfg;
    CURL *curl;
    long long deadline_ms;
    int current;                                    /* endpoint tried first */
    char bad[ETCD_MAX_ENDPOINTS];                   /* answered something that is not etcd */
    char base[16];                                  /* "/v3", "/v3beta", "/v3alpha", or "" for v2 */
    enum etcd_api api;                              /* resolved; AUTO until detected */
    char last_err[ETCD_URL_MAX + ETCD_ERR_MAX + 8]; /* for the final message */
    struct body resp;
    long status;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
    struct body *b = arg;
    size_t n = size * nmemb;
    if (b->len + n + 1 > (size_t)ETCD_BODY_MAX)
        return 0;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return 0;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, ptr, n);
    b->len += n;
    b->p[b->len] = '\0';
    return n;
}

struct etcd_client *etcd_open(const struct etcd_config *cfg)
{
    static int curl_ready;
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
            return NULL;
        curl_ready = 1;
    }
    struct etcd_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cfg = *cfg;
    c->curl = curl_easy_init();
    c->resp.cap = 4096;
    c->resp.p = calloc(1, c->resp.cap);
    if (!c->curl || !c->resp.p) {
        curl_easy_cleanup(c->curl);
        free(c->resp.p);
        free(c);
        return NULL;
    }
    c->deadline_ms = now_ms() + cfg->timeout_ms;
    c->api = cfg->api == ETCD_API_V2 ? ETCD_API_V2 : ETCD_API_AUTO;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    srandom((unsigned)(ts.tv_nsec ^ (getpid() << 16)));
    c->current = (int)(random() % cfg->nendpoints);
    return c;
}

void etcd_close(struct etcd_client *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c->resp.p);
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

/* One HTTP exchange with endpoint EP. 0 with c->status and c->resp set, or -1 (c->last_err). */
static int http_once(struct etcd_client *c, int ep, const char *method, const char *path,
                     const char *body, long timeout_ms)
{
    char url[ETCD_URL_MAX + 1024];
    snprintf(url, sizeof url, "%s%s", c->cfg.endpoints[ep], path);
    CURL *h = c->curl;
    curl_easy_reset(h);
    c->resp.len = 0;
    c->resp.p[0] = '\0';
    struct curl_slist *hdrs = NULL;
    if (body) {
        hdrs = curl_slist_append(hdrs, strncmp(path, "/v2/", 4) == 0
                                           ? "Content-Type: application/x-www-form-urlencoded"
                                           : "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "GET") == 0)
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 3000 ? timeout_ms : 3000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c->resp);
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hdrs);
    if (rc != CURLE_OK) {
        snprintf(c->last_err, sizeof c->last_err, "%s: %s", c->cfg.endpoints[ep],
                 curl_easy_strerror(rc));
        return -1;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &c->status);
    return 0;
}

/* Verdict of a response check. */
enum { ANSWER_OK = 0, ANSWER_RETRY = 1, ANSWER_GARBAGE = -1, ANSWER_FATAL = -2 };
typedef int (*check_fn)(struct etcd_client *c, void *arg, char *err, size_t errlen);

static void backoff(struct etcd_client *c, int round)
{
    long long base = 50LL << (round < 6 ? round : 6); /* 50 ms .. 3.2 s */
    if (base > 2000)
        base = 2000;
    long long d = base / 2 + random() % (base / 2 + 1); /* jitter: [base/2, base] */
    long long left = c->deadline_ms - now_ms();
    if (d > left)
        d = left;
    if (d > 0) {
        struct timespec ts = {(time_t)(d / 1000), (long)(d % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
}

/* Sends the request to the endpoints in turn until CHECK accepts an answer; retries with backoff
 * until the deadline. Returns 0 or an exit code after logging. */
static int exchange(struct etcd_client *c, const char *method, const char *path, const char *body,
                    check_fn check, void *arg)
{
    const int n = c->cfg.nendpoints;
    for (int round = 0;; round++) {
        int usable = 0;
        for (int k = 0; k < n; k++) {
            int ep = (c->current + k) % n;
            if (c->bad[ep])
                continue;
            usable++;
            long long left = c->deadline_ms - now_ms();
            if (left <= 0)
                break;
            /* With other endpoints to fail over to, one that accepts but never answers must not
             * take the whole deadline. */
            long long per = n > 1 && left > ETCD_REQUEST_MS ? ETCD_REQUEST_MS : left;
            if (http_once(c, ep, method, path, body, (long)per) != 0) {
                log_debug("etcd request failed", "endpoint=%s path=%s error=\"%s\"",
                          c->cfg.endpoints[ep], path, c->last_err);
                continue;
            }
            char err[ETCD_ERR_MAX] = "";
            /* Server errors, timeouts and cancellations (e.g. during a leader change): retry. */
            int transient = c->status >= 500 || c->status == 408 || c->status == 429;
            int v = transient ? ANSWER_RETRY : check(c, arg, err, sizeof err);
            if (transient) {
                char ex[64];
                excerpt(c->resp.p, c->resp.len, ex, sizeof ex);
                snprintf(err, sizeof err, "HTTP %ld: %s", c->status, ex);
            }
            if (v == ANSWER_OK) {
                c->current = ep;
                return 0;
            }
            snprintf(c->last_err, sizeof c->last_err, "%s: %s", c->cfg.endpoints[ep], err);
            if (v == ANSWER_RETRY)
                log_debug("etcd request failed", "endpoint=%s path=%s error=\"%s\"",
                          c->cfg.endpoints[ep], path, err);
            if (v == ANSWER_FATAL) {
                log_error("etcd refused a request", "path=%s error=\"%s\"", path, c->last_err);
                return EXIT_INTERNAL;
            }
            if (v == ANSWER_GARBAGE) {
                if (n > 1)
                    log_warn("etcd endpoint answered something that is not etcd; skipping it",
                             "endpoint=%s path=%s error=\"%s\"", c->cfg.endpoints[ep], path, err);
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
        if (now_ms() >= c->deadline_ms) {
            log_error("etcd unreachable before the deadline",
                      "endpoints=\"%s\" timeout_ms=%ld error=\"%s\" hint=\"check %s and that "
                      "etcd runs; ETCD_TIMEOUT sets the deadline\"",
                      c->cfg.endpoints_shown, c->cfg.timeout_ms, c->last_err, c->cfg.endpoints_var);
            return EXIT_UNAVAILABLE;
        }
        backoff(c, round);
    }
}

/* ------------------------------------------------------------------ API detection */

static int check_version(struct etcd_client *c, void *arg, char *err, size_t errlen)
{
    int *ver = arg;
    if (c->status != 200) {
        char ex[64];
        excerpt(c->resp.p, c->resp.len, ex, sizeof ex);
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
    int error_code; /* v2 */
    int succeeded;  /* v3 txn */
    int has_existing;
    char *existing;
    size_t elen;
};

/* A non-200 answer that is not a server error: etcd's own refusal, or not etcd at all. */
static int v3_refusal(struct etcd_client *c, char *err, size_t errlen)
{
    cJSON *j = cJSON_ParseWithLength(c->resp.p, c->resp.len);
    int fatal = cJSON_IsObject(j) && v3_gateway_error(j, err, errlen);
    cJSON_Delete(j);
    if (!fatal) {
        char ex[64];
        excerpt(c->resp.p, c->resp.len, ex, sizeof ex);
        snprintf(err, errlen, "HTTP %ld: %s", c->status, ex);
    }
    return fatal && c->status != 404 ? ANSWER_FATAL : ANSWER_GARBAGE;
}

static int check_v3_range(struct etcd_client *c, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    if (c->status != 200)
        return v3_refusal(c, err, errlen);
    op->count = etcd_v3_parse_range(c->resp.p, c->resp.len, op->fn, op->arg, err, errlen);
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

static cJSON *b64_string(const char *s)
{
    size_t len = strlen(s);
    char *buf = malloc(len / 3 * 4 + 8);
    if (!buf)
        return NULL;
    base64_encode(s, len, buf, len / 3 * 4 + 8);
    cJSON *j = cJSON_CreateString(buf);
    free(buf);
    return j;
}

/* {"key": b64(KEY)} plus, for a prefix, "range_end". */
static cJSON *v3_range_req(const char *key, int prefix)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddItemToObject(j, "key", b64_string(key));
    if (prefix) {
        char end[ETCD_PREFIX_MAX + 256];
        snprintf(end, sizeof end, "%s", key);
        size_t n = strlen(end);
        if (n > 0)
            end[n - 1] = (char)(end[n - 1] + 1);
        cJSON_AddItemToObject(j, "range_end", b64_string(end));
    }
    return j;
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
    int rc = exchange(c, "POST", path, body, check, op);
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

static int store_value(const char *key, const char *value, void *arg)
{
    (void)key;
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
    char *esc = curl_easy_escape(NULL, value, 0);
    if (!esc)
        return NULL;
    size_t n = strlen(esc) + 8;
    char *form = malloc(n);
    if (form)
        snprintf(form, n, "value=%s", esc);
    curl_free(esc);
    return form;
}

int etcd_create(struct etcd_client *c, const char *key, const char *value, int *created,
                char *existing, size_t elen)
{
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    *created = 0;
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
        return etcd_get(c, key, existing, elen, &found);
    }
    cJSON *req = cJSON_CreateObject();
    cJSON *compare = cJSON_AddArrayToObject(req, "compare");
    cJSON *c0 = cJSON_CreateObject();
    cJSON_AddItemToObject(c0, "key", b64_string(key));
    cJSON_AddStringToObject(c0, "result", "EQUAL");
    cJSON_AddStringToObject(c0, "target", "CREATE");
    cJSON_AddStringToObject(c0, "create_revision", "0");
    cJSON_AddItemToArray(compare, c0);
    cJSON *put = cJSON_CreateObject();
    cJSON_AddItemToObject(put, "key", b64_string(key));
    cJSON_AddItemToObject(put, "value", b64_string(value));
    cJSON *s0 = cJSON_CreateObject();
    cJSON_AddItemToObject(s0, "request_put", put);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "success"), s0);
    cJSON *f0 = cJSON_CreateObject();
    cJSON_AddItemToObject(f0, "request_range", v3_range_req(key, 0));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "failure"), f0);
    rc = v3_call(c, "txn", req, check_v3_txn, &op);
    if (rc == 0)
        *created = op.succeeded;
    return rc;
}

int etcd_delete_if(struct etcd_client *c, const char *key, const char *value)
{
    int rc = detect_api(c);
    if (rc != 0)
        return rc;
    char existing[8];
    struct op op = {.existing = existing, .elen = sizeof existing};
    if (c->api == ETCD_API_V2) {
        char *esc = curl_easy_escape(NULL, value, 0);
        if (!esc)
            return EXIT_INTERNAL;
        char query[ETCD_VALUE_MAX * 3 + 32];
        snprintf(query, sizeof query, "?prevValue=%s", esc);
        curl_free(esc);
        return v2_call(c, "DELETE", key, query, NULL, &op); /* 100/101: not ours, fine */
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
    return v3_call(c, "range", v3_range_req(prefix, 1), check_v3_range, &op);
}
