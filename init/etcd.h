/* etcd.h - a small etcd client (libcurl + cJSON) for identity allocation: the v3 JSON gateway
 * (/v3, /v3beta for 3.3, /v3alpha before) or the v2 keys API, several endpoints with failover,
 * retries with backoff and jitter, and one overall deadline. Response parsers are pure. */
#ifndef ZKINIT_ETCD_H
#define ZKINIT_ETCD_H

#include "etcd_config.h"
#include "etcd_parse.h"

#include <stddef.h>

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
/* Compare-and-swap: sets KEY = VALUE only while it holds EXPECTED (NULL or "": only if absent).
 * *SWAPPED 1 when it was set. */
int etcd_replace(struct etcd_client *c, const char *key, const char *expected, const char *value,
                 int *swapped);
/* Deletes KEY only while it holds VALUE (absent or different: nothing happens). */
int etcd_delete_if(struct etcd_client *c, const char *key, const char *value);
/* Calls FN for every key under PREFIX (PREFIX should end with '/'). FN returns 0 to go on. */
int etcd_list(struct etcd_client *c, const char *prefix, etcd_kv_fn fn, void *arg);

#endif
