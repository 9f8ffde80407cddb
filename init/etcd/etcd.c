/* etcd.c - the etcd operations (get, create, compare-and-swap, delete, list, transactions,
 * in-order keys) as v3 JSON requests or v2 forms, over etcd_client's transport. */
#include "etcd/etcd.h"

#include "util/base64.h"
#include "util/exitcodes.h"
#include "util/http.h"
#include "util/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ETCD_PAGE 100 /* keys per v3 range page */

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
static int v3_refusal(const struct etcd_answer *a, char *err, size_t errlen)
{
    int fatal = etcd_v3_parse_error(a->body, a->len, err, errlen);
    if (!fatal) {
        char ex[64];
        etcd_excerpt(a->body, a->len, ex, sizeof ex);
        snprintf(err, errlen, "HTTP %ld: %s", a->status, ex);
    }
    return fatal && a->status != 404 ? ETCD_ANSWER_FATAL : ETCD_ANSWER_GARBAGE;
}

static int check_v3_range(const struct etcd_answer *a, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    if (a->status != 200)
        return v3_refusal(a, err, errlen);
    op->count = etcd_v3_parse_range(a->body, a->len, op->fn, op->arg, &op->more, err, errlen);
    return op->count >= 0 ? ETCD_ANSWER_OK : ETCD_ANSWER_GARBAGE;
}

static int check_v3_txn(const struct etcd_answer *a, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    if (a->status != 200)
        return v3_refusal(a, err, errlen);
    int rc = etcd_v3_parse_txn(a->body, a->len, &op->succeeded, op->existing, op->elen,
                               &op->has_existing, err, errlen);
    return rc == 0 ? ETCD_ANSWER_OK : ETCD_ANSWER_GARBAGE;
}

static int check_v2(const struct etcd_answer *a, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    op->count = etcd_v2_parse(a->body, a->len, &op->error_code, op->fn, op->arg, err, errlen);
    if (op->count < 0) {
        if (a->status == 404)
            snprintf(err, errlen,
                     "no v2 keys API here (HTTP 404); start etcd with "
                     "--enable-v2=true or use ETCD_API=v3");
        return ETCD_ANSWER_GARBAGE;
    }
    return ETCD_ANSWER_OK;
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

static int v3_call(struct etcd_client *c, const char *what, cJSON *req, etcd_check_fn check,
                   struct op *op)
{
    char *body = v3_json(req);
    if (!body) {
        log_error("out of memory", NULL);
        return EXIT_INTERNAL;
    }
    int rc = etcd_v3_post(c, what, body, check, op);
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
    return etcd_exchange(c, method, path, form, check_v2, op);
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
    int rc = etcd_detect_api(c);
    if (rc != 0)
        return rc;
    struct op op = {.existing = val, .elen = vlen};
    op.fn = store_value;
    op.arg = &op;
    val[0] = '\0';
    if (etcd_api_in_use(c) == ETCD_API_V2) {
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
    int rc = etcd_detect_api(c);
    if (rc != 0)
        return rc;
    *created = 0;
    if (elen)
        existing[0] = '\0';
    struct op op = {.existing = existing, .elen = elen};
    if (etcd_api_in_use(c) == ETCD_API_V2) {
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
    int rc = etcd_detect_api(c);
    if (rc != 0)
        return rc;
    if (etcd_api_in_use(c) == ETCD_API_V2) {
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
    int rc = etcd_detect_api(c);
    if (rc != 0)
        return rc;
    char existing[8];
    struct op op = {.existing = existing, .elen = sizeof existing};
    if (etcd_api_in_use(c) == ETCD_API_V2) {
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
    int rc = etcd_detect_api(c);
    if (rc != 0)
        return rc;
    struct op op = {.fn = fn, .arg = arg};
    if (etcd_api_in_use(c) == ETCD_API_V2) {
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
    int rc = etcd_detect_api(c);
    *has_txn = rc == 0 && etcd_api_in_use(c) == ETCD_API_V3;
    return rc;
}

static int check_v3_txn_ranges(const struct etcd_answer *a, void *arg, char *err, size_t errlen)
{
    struct op *op = arg;
    if (a->status != 200)
        return v3_refusal(a, err, errlen);
    op->count =
        etcd_v3_parse_txn_ranges(a->body, a->len, &op->succeeded, op->fn, op->arg, err, errlen);
    return op->count >= 0 ? ETCD_ANSWER_OK : ETCD_ANSWER_GARBAGE;
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
    int rc = etcd_detect_api(c);
    if (rc != 0)
        return rc;
    if (etcd_api_in_use(c) == ETCD_API_V2) {
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
    int rc = etcd_detect_api(c);
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
