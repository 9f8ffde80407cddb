/* http.h - the one libcurl exchange every HTTP client here uses (etcd, the health checks): a
 * reusable handle, a bounded response body, timeouts, no signals, errors as text. */
#ifndef ZKINIT_HTTP_H
#define ZKINIT_HTTP_H

#include <stddef.h>

struct http_request {
    const char *method; /* NULL: GET */
    const char *url;
    const char *body;         /* NULL: none */
    const char *content_type; /* of the body */
    long timeout_ms;          /* the whole exchange; at least 1 */
    long connect_timeout_ms;  /* 0: timeout_ms */
    int no_proxy;             /* 1: never through http_proxy (a check of the local daemon) */
    int http_only;            /* 1: http and https only, also on redirects */
};

struct http_conn;

/* A handle whose answers hold at most BODY_MAX bytes; with TRUNCATE a longer one is cut there,
 * without it the exchange fails. NULL when libcurl cannot start. */
struct http_conn *http_open(size_t body_max, int truncate);
void http_close(struct http_conn *h);
/* One exchange. 0 with the status and body set, or -1 with libcurl's reason in ERR. */
int http_exchange(struct http_conn *h, const struct http_request *rq, char *err, size_t errlen);
long http_status(const struct http_conn *h);
/* The last answer's body, NUL-terminated; its length into LEN when not NULL. */
const char *http_body(const struct http_conn *h, size_t *len);

/* "PREFIX NAME=VALUE" with VALUE percent-encoded, for a query or a form; malloc'd (free it), or
 * NULL when out of memory. */
char *http_param(const char *prefix, const char *name, const char *value);

/* URL as it may be logged: without user name and password; "(not a URL)" when it is none. */
void http_url_for_log(const char *url, char *out, size_t len);

/* One request on a handle of its own: the status into STATUS, the body (cut to BODYLEN - 1
 * bytes) into BODY when not NULL. 0, or -1 with the reason in ERR. */
int http_get(const struct http_request *rq, long *status, char *body, size_t bodylen, char *err,
             size_t errlen);

#endif
