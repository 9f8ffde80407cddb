/* etcd_config.h - the etcd client's settings from ETCD_ENDPOINTS (or ETCDCTL_ENDPOINTS),
 * ETCD_PREFIX, ETCD_API and ETCD_TIMEOUT. */
#ifndef ZKINIT_ETCD_CONFIG_H
#define ZKINIT_ETCD_CONFIG_H

#include <stddef.h>

#define ETCD_MAX_ENDPOINTS 16
#define ETCD_URL_MAX 256
#define ETCD_PREFIX_MAX 200

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

#endif
