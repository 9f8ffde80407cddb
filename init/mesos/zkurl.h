/* zkurl.h - parses Mesos-style ZooKeeper URLs `zk://[user:pass@]h1:2181,h2:2181/path` (pure). */
#ifndef ZKINIT_ZKURL_H
#define ZKINIT_ZKURL_H

#include <stddef.h>

#define ZKURL_AUTH_MAX 256
#define ZKURL_HOSTS_MAX 1024
#define ZKURL_PATH_MAX 512

struct zkurl {
    char auth[ZKURL_AUTH_MAX];   /* "user:pass" for the digest scheme, or "" */
    char hosts[ZKURL_HOSTS_MAX]; /* "h1:2181,h2:2181" (a missing port becomes 2181) */
    char path[ZKURL_PATH_MAX];   /* "/mesos": absolute, not "/", no trailing '/' */
};

/* Parses S into OUT as Mesos does: blanks around it are ignored, the credentials end at the last
 * '@' before the path (a password may hold '@'). Returns 0, or -1 with *WHY set to a static
 * explanation. */
int zkurl_parse(const char *s, struct zkurl *out, const char **why);

/* Normalizes a host list "h1[:port],h2[:port]" into OUT ("h1:2181,h2:2181"); [v6]:port allowed.
 * Returns 0, or -1 with *WHY set. */
int zkurl_hosts(const char *list, char *out, size_t len, const char **why);

/* Writes "zk://[auth@]HOSTS/PATH" into OUT. Returns 0, or -1 when it does not fit. */
int zkurl_format(const char *auth, const char *hosts, const char *path, char *out, size_t len);

/* URL for a log line: "zk://user:***@HOSTS/PATH" (the password masked), or a placeholder when
 * URL does not parse (it is not echoed). Returns 0, or -1 for the placeholder. */
int zkurl_mask(const char *url, char *out, size_t len);

#endif
