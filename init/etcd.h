/* etcd.h - a small etcd client (libcurl + cJSON) for identity allocation: the v3 JSON gateway
 * (/v3, /v3beta for 3.3, /v3alpha before) or the v2 keys API, several endpoints with failover,
 * retries with backoff and jitter, and one overall deadline. Response parsers are pure. */
#ifndef ZKINIT_ETCD_H
#define ZKINIT_ETCD_H

#include <stddef.h>

#define ETCD_MAX_ENDPOINTS 16
#define ETCD_URL_MAX 256
#define ETCD_PREFIX_MAX 200
#define ETCD_VALUE_MAX 256

enum etcd_api { ETCD_API_AUTO, ETCD_API_V3, ETCD_API_V2 };

struct etcd_config {
    char endpoints[ETCD_MAX_ENDPOINTS][ETCD_URL_MAX]; /* without a trailing '/' */
    int nendpoints;
    char endpoints_shown[1024];   /* for messages: comma separated, passwords masked */
    const char *endpoints_var;    /* "ETCD_ENDPOINTS" or "ETCDCTL_ENDPOINTS" */
    char prefix[ETCD_PREFIX_MAX]; /* starts with '/', no trailing '/' */
    enum etcd_api api;
    long timeout_ms;
};

/* Reads ETCD_ENDPOINTS (else ETCDCTL_ENDPOINTS), ETCD_PREFIX, ETCD_API, ETCD_TIMEOUT. Returns 0
 * with *ENABLED 0 when no endpoints are set (empty counts as unset), 0 with *ENABLED 1 and CFG
 * filled, or 64 after logging one line naming the bad variable. */
int etcd_config_from_env(struct etcd_config *cfg, int *enabled);

/* Pure: parses a comma-separated list of http(s) URLs into CFG. 0, or -1 with a reason in ERR. */
int etcd_parse_endpoints(const char *s, struct etcd_config *cfg, char *err, size_t errlen);

struct etcd_client;

/* Returns a client whose deadline (CFG's timeout) starts now; NULL only when out of memory. */
struct etcd_client *etcd_open(const struct etcd_config *cfg);
void etcd_close(struct etcd_client *c);
/* The API in use after the first request ("v3", "v3beta", "v3alpha", "v2"), or "auto". */
const char *etcd_api_name(const struct etcd_client *c);

/* Each operation returns 0, or an exit code after logging one line: 69 when no endpoint answered
 * before the deadline (the message names them), 64 when every endpoint answered something that is
 * not etcd, 70 on an unexpected etcd error. */
int etcd_get(struct etcd_client *c, const char *key, char *val, size_t vlen, int *found);
/* Creates KEY = VALUE only if absent. *CREATED 1, or 0 with the present value in EXISTING ("" if
 * it vanished meanwhile). */
int etcd_create(struct etcd_client *c, const char *key, const char *value, int *created,
                char *existing, size_t elen);
/* Deletes KEY only while it holds VALUE (absent or different: nothing happens). */
int etcd_delete_if(struct etcd_client *c, const char *key, const char *value);
/* Calls FN for every key under PREFIX (PREFIX should end with '/'). FN returns 0 to go on. */
typedef int (*etcd_kv_fn)(const char *key, const char *value, void *arg);
int etcd_list(struct etcd_client *c, const char *prefix, etcd_kv_fn fn, void *arg);

/* ---- pure helpers and response parsers (unit tested, fuzzed) ---- */

/* Base64 (standard alphabet, padded). Encode returns the length or -1 when OUT is too small;
 * decode returns the length (OUT NUL-terminated) or -1 on bad input / too small. */

/* /version: {"etcdserver":"3.4.23","etcdcluster":"3.4.0"}. Returns 0 with the cluster's version,
 * 1 when the cluster version is not decided yet, -1 (reason in ERR) when it is not etcd's JSON. */
int etcd_parse_version(const char *body, size_t len, int *major, int *minor, char *err,
                       size_t errlen);

/* v3 range answer: calls FN (if not NULL) for each key/value (decoded; values longer than
 * ETCD_VALUE_MAX-1 are cut). Returns the number of kvs, or -1 (reason in ERR) when the body is
 * not a v3 answer or is a gateway error. */
int etcd_v3_parse_range(const char *body, size_t len, etcd_kv_fn fn, void *arg, char *err,
                        size_t errlen);

/* v3 txn answer of a create-if-absent: *SUCCEEDED (a missing "succeeded" means 0), and when it
 * failed the existing value from responses[0].response_range (*HAS_EXISTING 0 if none).
 * 0, or -1 with a reason in ERR. */
int etcd_v3_parse_txn(const char *body, size_t len, int *succeeded, char *existing, size_t elen,
                      int *has_existing, char *err, size_t errlen);

/* v2 keys answer: either {"errorCode":N,...} (*ERROR_CODE = N) or {"node":{...}} (*ERROR_CODE 0,
 * FN called for every leaf node, recursively). Returns the number of leaves, or -1 with a reason
 * in ERR. */
int etcd_v2_parse(const char *body, size_t len, int *error_code, etcd_kv_fn fn, void *arg,
                  char *err, size_t errlen);

/* "/v2/keys" + KEY with every byte outside [A-Za-z0-9/._~:-] percent-encoded. 0, or -1. */
int etcd_v2_path(const char *key, char *out, size_t outlen);

#endif
