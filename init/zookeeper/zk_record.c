/* zk_record.c - the committed configuration in etcd (see zk_record.h). */
#include "zookeeper/zk_record.h"

#include "etcd/etcd.h"
#include "util/log.h"
#include "zookeeper/zk_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_TRIES 5

static int open_client(long timeout_ms, struct etcd_config *cfg, struct etcd_client **c, char *key,
                       size_t klen)
{
    int enabled;
    *c = NULL;
    int rc = etcd_config_from_env(cfg, &enabled);
    if (rc != 0 || !enabled)
        return rc;
    if (timeout_ms > 0 && timeout_ms < cfg->timeout_ms)
        cfg->timeout_ms = timeout_ms;
    snprintf(key, klen, "%s/ensemble/config", cfg->prefix);
    *c = etcd_open(cfg);
    if (!*c) {
        log_error("cannot set up the etcd client", NULL);
        return 70;
    }
    return 0;
}

static int parse(const char *text, struct zk_ensemble *out)
{
    char err[200];
    if (zk_parse_config(text, out, err, sizeof err) == 0)
        return 0;
    log_warn("ignoring the ensemble record in etcd: it does not parse", "problem=\"%s\"", err);
    memset(out, 0, sizeof *out);
    return -1;
}

int zk_record_load(struct zk_ensemble *out, long timeout_ms)
{
    struct etcd_config cfg;
    struct etcd_client *c;
    char key[ETCD_PREFIX_MAX + 32];
    char *val = malloc(ETCD_VALUE_MAX);
    int found = 0;
    memset(out, 0, sizeof *out);
    int rc = val ? open_client(timeout_ms, &cfg, &c, key, sizeof key) : 70;
    if (rc == 0 && c) {
        rc = etcd_get(c, key, val, ETCD_VALUE_MAX, &found);
        if (rc == 0 && found)
            parse(val, out);
        etcd_close(c);
    }
    free(val);
    return rc;
}

/* One compare-and-swap round. 0 done (or newer there), 1 lost the race, else an exit code. */
static int store_once(struct etcd_client *c, const char *key, const struct zk_ensemble *cfg,
                      char *val)
{
    int found = 0, swapped = 0;
    struct zk_ensemble cur = {0};
    int rc = etcd_get(c, key, val, ETCD_VALUE_MAX, &found);
    if (rc != 0)
        return rc;
    if (found && parse(val, &cur) == 0 && zk_version_cmp(cur.version, cfg->version) >= 0)
        return 0;
    char *text = zk_render_config(cfg);
    if (!text)
        return 70;
    rc = etcd_replace(c, key, found ? val : NULL, text, &swapped);
    free(text);
    if (rc == 0 && swapped)
        log_info("recorded the ensemble's configuration in etcd", "version=%s servers=%d",
                 cfg->version, cfg->n);
    return rc != 0 ? rc : swapped ? 0 : 1;
}

int zk_record_store(const struct zk_ensemble *cfg, long timeout_ms)
{
    struct etcd_config ecfg;
    struct etcd_client *c;
    char key[ETCD_PREFIX_MAX + 32];
    if (!cfg->version[0] || cfg->n == 0)
        return 0;
    char *val = malloc(ETCD_VALUE_MAX);
    int rc = val ? open_client(timeout_ms, &ecfg, &c, key, sizeof key) : 70;
    if (rc == 0 && c) {
        rc = 1;
        for (int i = 0; i < RECORD_TRIES && rc == 1; i++)
            rc = store_once(c, key, cfg, val);
        etcd_close(c);
    }
    free(val);
    return rc == 1 ? 0 : rc;
}
