/* etcd_client.h - the etcd client's transport: several endpoints with failover, retries with
 * backoff and jitter, one overall deadline, and the API detection (v2, or v3 under /v3, /v3beta
 * for 3.3, /v3alpha before). etcd.h builds the operations on it. */
#ifndef ZKINIT_ETCD_CLIENT_H
#define ZKINIT_ETCD_CLIENT_H

#include "etcd/etcd_config.h"

#include <stddef.h>

struct etcd_client;

/* Returns a client whose deadline (CFG's timeout) starts now; NULL only when out of memory. */
struct etcd_client *etcd_open(const struct etcd_config *cfg);
void etcd_close(struct etcd_client *c);
/* "etcd unreachable before the deadline" is logged at debug level: the caller has a fallback and
 * logs what it does instead. */
void etcd_unreachable_is_debug(struct etcd_client *c);
/* After etcd was unreachable until a deadline, later calls of this process fail at once with 69;
 * this lets them try again (a hook, long after the start). */
void etcd_retry_unreachable(void);
/* The API in use after the first request ("v3", "v3beta", "v3alpha", "v2"), or "auto". */
const char *etcd_api_name(const struct etcd_client *c);

/* ---- for etcd.c's operations ---- */

/* One answer of etcd: its HTTP status and body (valid until the next exchange). */
struct etcd_answer {
    long status;
    const char *body;
    size_t len;
};
/* A check's verdict on an answer: done, try again (this endpoint or the next), not etcd (skip
 * the endpoint), or a refusal no retry can mend. A 5xx, 408 or 429 is retried before any check. */
enum {
    ETCD_ANSWER_OK = 0,
    ETCD_ANSWER_RETRY = 1,
    ETCD_ANSWER_GARBAGE = -1,
    ETCD_ANSWER_FATAL = -2,
};
typedef int (*etcd_check_fn)(const struct etcd_answer *a, void *arg, char *err, size_t errlen);

/* Asks /version once, then uses that API. 0, or an exit code after logging (as every call here:
 * 69 no endpoint answered before the deadline, 64 none is etcd, 70 etcd refused, 128+N a stop
 * signal during a retry wait). */
int etcd_detect_api(struct etcd_client *c);
/* The API after etcd_detect_api: ETCD_API_V2 or ETCD_API_V3 (AUTO before). */
enum etcd_api etcd_api_in_use(const struct etcd_client *c);
/* METHOD PATH with BODY (NULL: none; a v2 path sends a form, any other JSON), to the endpoints in
 * turn and again until CHECK accepts an answer or the deadline passes. */
int etcd_exchange(struct etcd_client *c, const char *method, const char *path, const char *body,
                  etcd_check_fn check, void *arg);
/* POST BODY to the v3 gateway's kv/WHAT ("range", "txn", ...). With ETCD_API=v3 the first request
 * goes to /v3 unasked; a 404 there asks /version and sends it again to the right path. */
int etcd_v3_post(struct etcd_client *c, const char *what, const char *body, etcd_check_fn check,
                 void *arg);

#endif
