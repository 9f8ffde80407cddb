/* etcd.h - a small etcd client (libcurl + cJSON) for identity allocation: the operations, over
 * the v3 JSON gateway (/v3, /v3beta for 3.3, /v3alpha before) or the v2 keys API. The client
 * itself (endpoints, failover, retries, the deadline) is etcd_client.h; parsers etcd_parse.h. */
#ifndef ZKINIT_ETCD_H
#define ZKINIT_ETCD_H

#include "etcd/etcd_client.h"
#include "etcd/etcd_parse.h"

#include <stddef.h>

/* Each operation returns 0, or an exit code after logging one line: 69 when no endpoint answered
 * before the deadline (the message names them), 64 when every endpoint answered something that is
 * not etcd, 70 on an unexpected etcd error, 128+N when stop signal N arrived during a retry wait.
 */
int etcd_get(struct etcd_client *c, const char *key, char *val, size_t vlen, int *found);
/* Creates KEY = VALUE only if absent. *CREATED 1, or 0 with the present value in EXISTING ("" if
 * it vanished meanwhile; ELEN 0: not wanted, v2 then saves a read). */
int etcd_create(struct etcd_client *c, const char *key, const char *value, int *created,
                char *existing, size_t elen);
/* Compare-and-swap: sets KEY = VALUE only while it holds EXPECTED (NULL or "": only if absent).
 * *SWAPPED 1 when it was set. */
int etcd_replace(struct etcd_client *c, const char *key, const char *expected, const char *value,
                 int *swapped);
/* Deletes KEY only while it holds VALUE (absent or different: nothing happens). */
int etcd_delete_if(struct etcd_client *c, const char *key, const char *value);
/* Calls FN for every key under PREFIX (PREFIX should end with '/'), all of them (v3: read in
 * pages). FN returns 0 to go on. */
int etcd_list(struct etcd_client *c, const char *prefix, etcd_kv_fn fn, void *arg);

/* Detects the API (once); *HAS_TXN 1 for v3 (transactions), 0 for v2. */
int etcd_detect(struct etcd_client *c, int *has_txn);

/* v3 only: one transaction. If every compare holds (VALUE NULL: the key is absent; else it holds
 * VALUE), the puts and deletes are applied. When the compares fail (or there are none, or
 * RANGES_ON_SUCCESS) the keys under each of RANGES are read in the same transaction (after any
 * writes) and passed to FN. *SUCCEEDED says which branch ran. */
struct etcd_cmp {
    const char *key, *value;
};
struct etcd_put {
    const char *key, *value;
};
#define ETCD_TXN_MAX 4
struct etcd_txn {
    struct etcd_cmp cmps[ETCD_TXN_MAX];
    struct etcd_put puts[ETCD_TXN_MAX];
    const char *dels[ETCD_TXN_MAX];
    const char *ranges[ETCD_TXN_MAX];
    int ncmps, nputs, ndels, nranges;
    int ranges_on_success; /* read RANGES also when the compares hold */
};
int etcd_txn(struct etcd_client *c, const struct etcd_txn *t, etcd_kv_fn fn, void *arg,
             int *succeeded);

/* v2 only: creates an in-order key under DIR with VALUE that expires after TTL_S seconds; its
 * name in CREATED and its createdIndex in *INDEX. */
int etcd_v2_enqueue(struct etcd_client *c, const char *dir, const char *value, int ttl_s,
                    char *created, size_t clen, long long *index);

#endif
