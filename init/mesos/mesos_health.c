/* mesos_health.c - `zkinit health mesos-master|mesos-agent|marathon`: an HTTP GET of the local
 * daemon's health endpoint (ZKINIT_HEALTH_URL overrides it); 0 on a 2xx answer, else 1. */
#include "mesos/mesos_health.h"

#include "util/env.h"
#include "util/exitcodes.h"
#include "util/hostport.h"
#include "util/http.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The endpoint: ZKINIT_HEALTH_URL, else ZKINIT_HEALTH_HOST (127.0.0.1) on the role's port
 * (MESOS_PORT or MARATHON_HTTP_PORT when set). Returns 0, or EXIT_USAGE after logging. */
static int health_url(const char *role, char *url, size_t len)
{
    const char *over = getenv("ZKINIT_HEALTH_URL");
    if (over && *over) {
        snprintf(url, len, "%s", over);
        return 0;
    }
    int marathon = strcmp(role, "marathon") == 0;
    long def = marathon ? 8080 : strcmp(role, "mesos-agent") == 0 ? 5051 : 5050;
    long port;
    if (env_long(marathon ? "MARATHON_HTTP_PORT" : "MESOS_PORT", 1, 65535, def, &port) != 0)
        return EXIT_USAGE;
    const char *host = getenv("ZKINIT_HEALTH_HOST");
    char hp[512];
    if (hostport_join(host && *host ? host : "127.0.0.1", port, hp, sizeof hp) != 0) {
        log_error("bad environment value",
                  "variable=ZKINIT_HEALTH_HOST hint=\"use a host name or address\"");
        return EXIT_USAGE;
    }
    snprintf(url, len, "http://%s%s", hp, marathon ? "/ping" : "/health");
    return 0;
}

int health_http_service(const char *role)
{
    char url[2048];
    long timeout_ms;
    if (health_url(role, url, sizeof url) != 0 ||
        env_seconds_ms("ZKINIT_HEALTH_TIMEOUT", 2000, &timeout_ms) != 0)
        return EXIT_USAGE;
    struct http_request rq = {.url = url, .timeout_ms = timeout_ms, .no_proxy = 1};
    char shown[2048], why[256];
    long status = 0;
    int rc = http_get(&rq, &status, NULL, 0, why, sizeof why);
    http_url_for_log(url, shown, sizeof shown);
    if (rc != 0) {
        log_warn("unhealthy", "url=\"%s\" error=\"%s\"", shown, why);
        return 1;
    }
    if (status < 200 || status > 299) {
        log_warn("unhealthy", "url=\"%s\" status=%ld", shown, status);
        return 1;
    }
    log_debug("healthy", "url=\"%s\" status=%ld", shown, status);
    return 0;
}
