/* etcd_parse.h - pure parsers of etcd's answers: v3 gateway JSON, v2 keys API, /version
 * (unit tested and fuzzed). */
#ifndef ZKINIT_ETCD_PARSE_H
#define ZKINIT_ETCD_PARSE_H

#include <stddef.h>

#define ETCD_VALUE_MAX 8192 /* the ensemble record holds a whole config */

/* Called for every key/value found, with the key's creation revision (v3 create_revision, v2
 * createdIndex; 0 when the answer has none); returns 0 to go on. */
typedef int (*etcd_kv_fn)(const char *key, const char *value, long long rev, void *arg);

/* A printable, quote-free excerpt of BODY (at most 60 bytes) for error messages. */
void etcd_excerpt(const char *body, size_t len, char *out, size_t outlen);

/* A v3 gateway error {"error":"...","code":N,"message":"..."}: 1 with the message in ERR, else 0.
 */
int etcd_v3_parse_error(const char *body, size_t len, char *err, size_t errlen);

/* /version: {"etcdserver":"3.4.23","etcdcluster":"3.4.0"}. Returns 0 with the cluster's version,
 * 1 when the cluster version is not decided yet, -1 (reason in ERR) when it is not etcd's JSON. */
int etcd_parse_version(const char *body, size_t len, int *major, int *minor, char *err,
                       size_t errlen);

/* v3 range answer: calls FN (if not NULL) for each key/value (decoded; values longer than
 * ETCD_VALUE_MAX-1 are cut); *MORE (may be NULL) 1 when a limited range has more keys. Returns
 * the number of kvs, or -1 (reason in ERR) when the body is not a v3 answer or is a gateway
 * error. */
int etcd_v3_parse_range(const char *body, size_t len, etcd_kv_fn fn, void *arg, int *more,
                        char *err, size_t errlen);

/* v3 txn answer of any shape: *SUCCEEDED, and FN called for the kvs of every response_range in
 * it (in order). Returns the number of kvs, or -1 with a reason in ERR. */
int etcd_v3_parse_txn_ranges(const char *body, size_t len, int *succeeded, etcd_kv_fn fn, void *arg,
                             char *err, size_t errlen);

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
