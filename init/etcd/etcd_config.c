/* etcd_config.c - ETCD_ENDPOINTS, ETCD_PREFIX, ETCD_API, ETCD_TIMEOUT: strict parsing. */
#include "etcd/etcd_config.h"

#include "util/env.h"
#include "util/exitcodes.h"
#include "util/log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int add_endpoint(struct etcd_config *cfg, const char *s, size_t n, char *err, size_t errlen)
{
    char url[ETCD_URL_MAX];
    if (n == 0) {
        snprintf(err, errlen, "empty entry in the list");
        return -1;
    }
    if (n >= sizeof url) {
        snprintf(err, errlen, "URL too long");
        return -1;
    }
    memcpy(url, s, n);
    url[n] = '\0';
    while (n > 0 && url[n - 1] == '/')
        url[--n] = '\0';
    const char *host = NULL;
    if (strncasecmp(url, "http://", 7) == 0)
        host = url + 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        host = url + 8;
    if (!host) {
        snprintf(err, errlen, "\"%.64s\" is not an http:// or https:// URL", url);
        return -1;
    }
    for (const char *p = url; *p; p++) {
        if (!isgraph((unsigned char)*p) || *p == '?' || *p == '#' || *p == '"' || *p == '\\') {
            snprintf(err, errlen, "\"%.64s\" holds a character a URL cannot have here", url);
            return -1;
        }
    }
    if (!*host || *host == '/' || *host == ':' || *host == '@' || strchr(host, '/')) {
        snprintf(err, errlen, "\"%.64s\" needs a host (and no path), e.g. http://10.0.0.1:2379",
                 url);
        return -1;
    }
    if (cfg->nendpoints == ETCD_MAX_ENDPOINTS) {
        snprintf(err, errlen, "more than %d endpoints", ETCD_MAX_ENDPOINTS);
        return -1;
    }
    memcpy(cfg->endpoints[cfg->nendpoints++], url, n + 1);
    /* Shown form: user:password@ masked. */
    const char *at = strchr(host, '@');
    char shown[ETCD_URL_MAX + 8];
    if (at)
        snprintf(shown, sizeof shown, "%.*s***%s", (int)(host - url), url, at);
    else
        snprintf(shown, sizeof shown, "%s", url);
    size_t used = strlen(cfg->endpoints_shown);
    snprintf(cfg->endpoints_shown + used, sizeof cfg->endpoints_shown - used, "%s%s",
             used ? "," : "", shown);
    return 0;
}

int etcd_parse_endpoints(const char *s, struct etcd_config *cfg, char *err, size_t errlen)
{
    cfg->nendpoints = 0;
    cfg->endpoints_shown[0] = '\0';
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (add_endpoint(cfg, s, n, err, errlen) != 0)
            return -1;
        if (!end)
            return 0;
        s = end + 1;
    }
}

static int prefix_ok(const char *p)
{
    if (p[0] != '/' || strlen(p) >= ETCD_PREFIX_MAX)
        return 0;
    for (const char *q = p; *q; q++) {
        if (!isgraph((unsigned char)*q) || (q[0] == '/' && q[1] == '/'))
            return 0;
    }
    return 1;
}

int etcd_config_from_env(struct etcd_config *cfg, int *enabled)
{
    memset(cfg, 0, sizeof *cfg);
    *enabled = 0;
    cfg->endpoints_var = "ETCD_ENDPOINTS";
    const char *eps = getenv("ETCD_ENDPOINTS");
    if (!eps || !*eps) {
        cfg->endpoints_var = "ETCDCTL_ENDPOINTS";
        eps = getenv("ETCDCTL_ENDPOINTS");
    }
    if (!eps || !*eps)
        return 0;
    char err[256];
    if (etcd_parse_endpoints(eps, cfg, err, sizeof err) != 0) {
        log_error("bad environment value",
                  "variable=%s error=\"%s\" hint=\"use comma-separated URLs, e.g. "
                  "http://10.0.0.1:2379,http://10.0.0.2:2379\"",
                  cfg->endpoints_var, err);
        return EXIT_USAGE;
    }
    const char *prefix = getenv("ETCD_PREFIX");
    if (!prefix || !*prefix)
        prefix = "/zookeeper";
    snprintf(cfg->prefix, sizeof cfg->prefix, "%s", prefix);
    size_t pl = strlen(cfg->prefix);
    while (pl > 1 && cfg->prefix[pl - 1] == '/')
        cfg->prefix[--pl] = '\0';
    if (!prefix_ok(prefix) || strcmp(cfg->prefix, "/") == 0) {
        log_error("bad environment value",
                  "variable=ETCD_PREFIX value=\"%s\" hint=\"use a key path such as /zookeeper "
                  "(starts with /, no blanks, no //)\"",
                  prefix);
        return EXIT_USAGE;
    }
    const char *api = getenv("ETCD_API");
    if (!api || !*api || strcmp(api, "auto") == 0) {
        cfg->api = ETCD_API_AUTO;
    } else if (strcmp(api, "v3") == 0) {
        cfg->api = ETCD_API_V3;
    } else if (strcmp(api, "v2") == 0) {
        cfg->api = ETCD_API_V2;
    } else {
        log_error("bad environment value",
                  "variable=ETCD_API value=\"%s\" hint=\"use auto, v3 or v2\"", api);
        return EXIT_USAGE;
    }
    if (env_seconds_ms("ETCD_TIMEOUT", 30000, &cfg->timeout_ms) != 0)
        return EXIT_USAGE;
    if (cfg->timeout_ms <= 0) {
        log_error("bad environment value",
                  "variable=ETCD_TIMEOUT value=\"%s\" hint=\"use seconds greater than 0, e.g. 30\"",
                  getenv("ETCD_TIMEOUT"));
        return EXIT_USAGE;
    }
    *enabled = 1;
    return 0;
}
