/* zk_client.c - connect with a deadline, digest auth as super, getconfig and reconfig. */
#include "zk_client.h"

#include "log.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SESSION_TIMEOUT_MS 6000 /* the server clamps it to 2..20 ticks */
#define POLL_MS 10

void zkc_set_logging(void)
{
    /* Level 0 switches the client's logging off; its ERROR lines for every refused connection
     * would drown zkinit's own log. */
    zoo_set_debug_level(log_enabled(LOG_DEBUG) ? ZOO_LOG_LEVEL_WARN : (ZooLogLevel)0);
}

void zkc_ignore_events(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
    (void)zh;
    (void)type;
    (void)state;
    (void)path;
    (void)ctx;
}

zhandle_t *zkc_connect(const char *hosts, long deadline, const char *super_password)
{
    zkc_set_logging();
    zhandle_t *zh = zookeeper_init(hosts, zkc_ignore_events, SESSION_TIMEOUT_MS, NULL, NULL, 0);
    if (!zh)
        return NULL;
    /* The client resolves every name again on each loop and drops its connection when the answer
     * changes (a flaky resolver: musl with two nameservers). Only on a connection loss, please. */
    zoo_set_servers_resolution_delay(zh, -1);
    while (zoo_state(zh) != ZOO_CONNECTED_STATE) {
        if (clock_ms() >= deadline) {
            zookeeper_close(zh);
            return NULL;
        }
        sleep_ms(POLL_MS);
    }
    if (super_password)
        zkc_authenticate(zh, super_password);
    return zh;
}

void zkc_authenticate(zhandle_t *zh, const char *super_password)
{
    char cred[512];
    int n = snprintf(cred, sizeof cred, "super:%s", super_password);
    if (n > 0 && (size_t)n < sizeof cred)
        zoo_add_auth(zh, "digest", cred, n, NULL, NULL); /* a wrong one shows as ZNOAUTH */
    memset(cred, 0, sizeof cred);
}

void zkc_close(zhandle_t *zh)
{
    if (zh)
        zookeeper_close(zh);
}

static int parse_answer(char *buf, int len, char *raw, size_t rawlen, struct zk_ensemble *out)
{
    char err[256];
    buf[len < 0 ? 0 : len] = '\0';
    if (raw)
        snprintf(raw, rawlen, "%s", buf);
    if (out && zk_parse_config(buf, out, err, sizeof err) != 0) {
        log_error("cannot parse the ensemble's configuration", "problem=\"%s\"", err);
        return ZBADARGUMENTS;
    }
    return ZOK;
}

int zkc_getconfig(zhandle_t *zh, char *raw, size_t rawlen, struct zk_ensemble *out)
{
    char *buf = malloc(ZKC_CONFIG_MAX);
    if (!buf)
        return ZSYSTEMERROR;
    int len = ZKC_CONFIG_MAX - 1;
    int rc = zoo_getconfig(zh, 0, buf, &len, NULL);
    if (rc == ZOK)
        rc = parse_answer(buf, len, raw, rawlen, out);
    free(buf);
    return rc;
}

int zkc_reconfig(zhandle_t *zh, const char *joining, const char *leaving, struct zk_ensemble *out)
{
    return zkc_reconfig_from(zh, joining, leaving, NULL, out);
}

int zkc_reconfig_from(zhandle_t *zh, const char *joining, const char *leaving,
                      const char *from_version, struct zk_ensemble *out)
{
    char *end = NULL;
    int64_t version = from_version && *from_version ? (int64_t)strtoll(from_version, &end, 16) : -1;
    if (end && *end)
        return ZBADARGUMENTS;
    char *buf = malloc(ZKC_CONFIG_MAX);
    if (!buf)
        return ZSYSTEMERROR;
    int len = ZKC_CONFIG_MAX - 1;
    int rc = zoo_reconfig(zh, joining, leaving, NULL, version, buf, &len, NULL);
    if (rc == ZOK)
        rc = parse_answer(buf, len, NULL, 0, out);
    free(buf);
    return rc;
}
