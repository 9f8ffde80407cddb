/* zkurl.c - parses Mesos-style ZooKeeper URLs (see zkurl.h). */
#include "mesos/zkurl.h"

#include "util/hostport.h"

#include <stdio.h>
#include <string.h>

static int valid_port(const char *s, size_t n)
{
    if (n == 0 || n > 5)
        return 0;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

static int valid_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
}

static int valid_v6_char(char c)
{
    return c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* Why HOST (from an entry, BRACKETED or not) is no host, or NULL when it is one. */
static const char *bad_host(const char *host, int bracketed)
{
    if (!bracketed && strchr(host, ':'))
        return "an IPv6 host needs the form [addr]:port";
    for (const char *p = host; *p; p++) {
        if (bracketed && !valid_v6_char(*p))
            return "bad character in an IPv6 host";
        if (!bracketed && !valid_host_char(*p))
            return "bad character in a host name (use host:port entries separated by ',')";
    }
    return NULL;
}

/* One "host[:port]" entry of N bytes appended to OUT (with a ',' before it unless first). */
static int append_host(const char *e, size_t n, char *out, size_t len, size_t *used,
                       const char **why)
{
    char host[256], shown[260];
    const char *port;
    size_t portlen;
    int bracketed = n > 0 && e[0] == '[';
    if (hostport_split(e, n, HOSTPORT_PORT_OPTIONAL, host, sizeof host, &port, &portlen) != 0) {
        *why = bracketed               ? "an IPv6 host needs the form [addr]:port"
               : n == 0 || e[0] == ':' ? "empty host in the host list"
                                       : "host name too long";
        return -1;
    }
    if ((*why = bad_host(host, bracketed)) != NULL)
        return -1;
    if (port && !valid_port(port, portlen)) {
        *why = "bad port in the host list (1..65535)";
        return -1;
    }
    host_bracket(host, strlen(host), shown, sizeof shown);
    int w = snprintf(out + *used, len - *used, "%s%s:%.*s", *used ? "," : "", shown,
                     port ? (int)portlen : 4, port ? port : "2181");
    if (w < 0 || (size_t)w >= len - *used) {
        *why = "host list too long";
        return -1;
    }
    *used += (size_t)w;
    return 0;
}

int zkurl_hosts(const char *list, char *out, size_t len, const char **why)
{
    size_t used = 0;
    const char *p = list;
    if (len == 0)
        return -1;
    out[0] = '\0';
    if (*p == '\0') {
        *why = "empty host list";
        return -1;
    }
    for (;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (append_host(p, n, out, len, &used, why) != 0)
            return -1;
        if (!end)
            return 0;
        p = end + 1;
    }
}

static int parse_auth(const char *s, size_t n, struct zkurl *out, const char **why)
{
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s) {
        *why = "credentials must be user:password before '@'";
        return -1;
    }
    if (n >= sizeof out->auth) {
        *why = "credentials too long";
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x21 || s[i] == '/' || s[i] == ',') {
            *why = "bad character in the credentials";
            return -1;
        }
    }
    memcpy(out->auth, s, n);
    out->auth[n] = '\0';
    return 0;
}

static int parse_path(const char *p, struct zkurl *out, const char **why)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    if (n <= 1) {
        *why = "the URL needs a path such as /mesos ('/' alone is not supported)";
        return -1;
    }
    if (n >= sizeof out->path) {
        *why = "path too long";
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)p[i] < 0x21 || (p[i] == '/' && i + 1 < n && p[i + 1] == '/')) {
            *why = "bad path (no blanks, control characters or empty components)";
            return -1;
        }
    }
    memcpy(out->path, p, n);
    out->path[n] = '\0';
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int zkurl_parse(const char *in, struct zkurl *out, const char **why)
{
    char s_[ZKURL_AUTH_MAX + ZKURL_HOSTS_MAX + ZKURL_PATH_MAX + 8] = {0};
    memset(out, 0, sizeof *out);
    while (is_space(*in))
        in++;
    size_t n = strlen(in);
    while (n > 0 && is_space(in[n - 1]))
        n--;
    if (n >= sizeof s_) {
        *why = "URL too long";
        return -1;
    }
    memcpy(s_, in, n);
    s_[n] = '\0';
    const char *s = s_;
    if (strncmp(s, "zk://", 5) != 0) {
        *why = "a ZooKeeper URL starts with zk://";
        return -1;
    }
    s += 5;
    const char *slash = strchr(s, '/');
    if (!slash) {
        *why = "the URL needs a path such as /mesos";
        return -1;
    }
    const char *at = memrchr(s, '@', (size_t)(slash - s)); /* Mesos: the last '@' */
    if (at) {
        if (parse_auth(s, (size_t)(at - s), out, why) != 0)
            return -1;
        s = at + 1;
    }
    char hosts[ZKURL_HOSTS_MAX];
    size_t hn = (size_t)(slash - s);
    if (hn >= sizeof hosts) {
        *why = "host list too long";
        return -1;
    }
    memcpy(hosts, s, hn);
    hosts[hn] = '\0';
    if (zkurl_hosts(hosts, out->hosts, sizeof out->hosts, why) != 0)
        return -1;
    return parse_path(slash, out, why);
}

int zkurl_format(const char *auth, const char *hosts, const char *path, char *out, size_t len)
{
    int w = snprintf(out, len, "zk://%s%s%s%s", auth && *auth ? auth : "", auth && *auth ? "@" : "",
                     hosts, path);
    return w < 0 || (size_t)w >= len ? -1 : 0;
}

int zkurl_mask(const char *url, char *out, size_t len)
{
    struct zkurl u;
    const char *why = "";
    if (zkurl_parse(url, &u, &why) != 0) {
        snprintf(out, len, "(not a zk:// URL)");
        return -1;
    }
    char auth[ZKURL_AUTH_MAX];
    const char *colon = strchr(u.auth, ':');
    snprintf(auth, sizeof auth, "%.*s%s", colon ? (int)(colon - u.auth) : 0, u.auth,
             colon ? ":***" : "");
    return zkurl_format(auth, u.hosts, u.path, out, len);
}
