/* mesos_health.c - `zkinit health mesos-master|mesos-agent|marathon`: an HTTP GET of the local
 * daemon's health endpoint (ZKINIT_HEALTH_URL overrides it); 0 on a 2xx answer, else 1. */
#include "mesos/mesos_health.h"

#include "util/env.h"
#include "util/exitcodes.h"
#include "util/log.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t discard(char *ptr, size_t size, size_t n, void *arg)
{
    (void)ptr;
    (void)arg;
    return size * n;
}

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
    int v6 = host && strchr(host, ':');
    snprintf(url, len, "http://%s%s%s:%ld%s", v6 ? "[" : "", host && *host ? host : "127.0.0.1",
             v6 ? "]" : "", port, marathon ? "/ping" : "/health");
    return 0;
}

/* URL as logged: without user name and password (secrets are never logged). */
static void url_for_log(const char *url, char *out, size_t len)
{
    CURLU *u = curl_url();
    char *s = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
        snprintf(out, len, "%s", s);
    else
        snprintf(out, len, "(not a URL)");
    curl_free(s);
    curl_url_cleanup(u);
}

int health_http_service(const char *role)
{
    char url[2048];
    long timeout_ms;
    if (health_url(role, url, sizeof url) != 0 ||
        env_seconds_ms("ZKINIT_HEALTH_TIMEOUT", 2000, &timeout_ms) != 0)
        return EXIT_USAGE;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    CURL *c = curl_easy_init();
    if (!c) {
        curl_global_cleanup();
        return 1;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms ? timeout_ms : 1);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms ? timeout_ms : 1);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(c);
    char shown[2048];
    url_for_log(url, shown, sizeof shown);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    curl_global_cleanup();
    if (rc != CURLE_OK) {
        log_warn("unhealthy", "url=\"%s\" error=\"%s\"", shown, curl_easy_strerror(rc));
        return 1;
    }
    if (status < 200 || status > 299) {
        log_warn("unhealthy", "url=\"%s\" status=%ld", shown, status);
        return 1;
    }
    log_debug("healthy", "url=\"%s\" status=%ld", shown, status);
    return 0;
}
