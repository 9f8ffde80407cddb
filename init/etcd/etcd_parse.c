/* etcd_parse.c - pure parsers of etcd's answers (v3 gateway, v2 keys, /version). */
#include "etcd/etcd_parse.h"

#include "etcd/etcd_config.h" /* ETCD_PREFIX_MAX: the longest key */
#include "util/base64.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void etcd_excerpt(const char *body, size_t len, char *out, size_t outlen)
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
        etcd_excerpt(body, len, ex, sizeof ex);
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

/* A protobuf int64 that the gateway writes as a JSON string (or, leniently, a number). */
static long long json_int64(const cJSON *j)
{
    long long v = 0;
    if (cJSON_IsString(j))
        v = strtoll(j->valuestring, NULL, 10);
    else if (cJSON_IsNumber(j) && j->valuedouble >= 0 && j->valuedouble <= 9e18)
        v = (long long)j->valuedouble;
    return v > 0 ? v : 0; /* revisions are positive; anything else: none */
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
        long long rev = json_int64(cJSON_GetObjectItemCaseSensitive(kv, "create_revision"));
        if (fn && fn(key, val, rev, arg) != 0)
            break;
    }
    return count;
}

int etcd_v3_parse_range(const char *body, size_t len, etcd_kv_fn fn, void *arg, int *more,
                        char *err, size_t errlen)
{
    if (more)
        *more = 0;
    cJSON *j = parse_object(body, len, err, errlen);
    if (!j)
        return -1;
    int rc = -1;
    if (v3_header_or_error(j, err, errlen)) {
        rc = walk_v3_kvs(cJSON_GetObjectItemCaseSensitive(j, "kvs"), fn, arg, err, errlen);
        if (more)
            *more = rc >= 0 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "more"));
    }
    cJSON_Delete(j);
    return rc;
}

int etcd_v3_parse_txn_ranges(const char *body, size_t len, int *succeeded, etcd_kv_fn fn, void *arg,
                             char *err, size_t errlen)
{
    *succeeded = 0;
    cJSON *j = parse_object(body, len, err, errlen);
    if (!j)
        return -1;
    int rc = -1;
    if (v3_header_or_error(j, err, errlen)) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "succeeded");
        const cJSON *resp = cJSON_GetObjectItemCaseSensitive(j, "responses");
        if (s && !cJSON_IsBool(s))
            snprintf(err, errlen, "succeeded is not true/false");
        else if (resp && !cJSON_IsArray(resp))
            snprintf(err, errlen, "responses is not a list");
        else
            rc = 0;
        *succeeded = cJSON_IsTrue(s);
        const cJSON *r;
        const cJSON *list = rc == 0 ? resp : NULL;
        cJSON_ArrayForEach(r, list)
        {
            const cJSON *range = cJSON_GetObjectItemCaseSensitive(r, "response_range");
            int n = range ? walk_v3_kvs(cJSON_GetObjectItemCaseSensitive(range, "kvs"), fn, arg,
                                        err, errlen)
                          : 0;
            if (n < 0) {
                rc = -1;
                break;
            }
            rc += n;
        }
    }
    cJSON_Delete(j);
    return rc;
}

static int first_value(const char *key, const char *value, long long rev, void *arg)
{
    (void)key;
    (void)rev;
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
        fn(key->valuestring, value ? value->valuestring : "",
           json_int64(cJSON_GetObjectItemCaseSensitive(node, "createdIndex")), arg);
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

int etcd_v3_parse_error(const char *body, size_t len, char *err, size_t errlen)
{
    cJSON *j = cJSON_ParseWithLength(body, len);
    int is_error = cJSON_IsObject(j) && v3_gateway_error(j, err, errlen);
    cJSON_Delete(j);
    return is_error;
}
