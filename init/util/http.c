/* http.c - the one libcurl exchange every HTTP client here uses. */
#include "util/http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct http_conn {
    CURL *curl;
    char *p; /* the body, NUL-terminated */
    size_t len, cap, max;
    int truncate;
    long status;
};

static int grow(struct http_conn *h, size_t need)
{
    if (need <= h->cap)
        return 0;
    size_t cap = h->cap;
    while (cap < need)
        cap *= 2;
    char *p = realloc(h->p, cap);
    if (!p)
        return -1;
    h->p = p;
    h->cap = cap;
    return 0;
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
    struct http_conn *h = arg;
    size_t n = size * nmemb, keep = n;
    if (h->len + n > h->max) {
        if (!h->truncate)
            return 0;
        keep = h->max - h->len;
    }
    if (grow(h, h->len + keep + 1) != 0)
        return 0;
    memcpy(h->p + h->len, ptr, keep);
    h->len += keep;
    h->p[h->len] = '\0';
    return n;
}

struct http_conn *http_open(size_t body_max, int truncate)
{
    static int curl_ready;
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        curl_ready = 1;
    }
    struct http_conn *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->cap = body_max < 4096 ? body_max + 1 : 4096;
    h->p = calloc(1, h->cap);
    h->curl = curl_easy_init();
    h->max = body_max;
    h->truncate = truncate;
    if (!h->curl || !h->p) {
        http_close(h);
        return NULL;
    }
    return h;
}

void http_close(struct http_conn *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    free(h->p);
    free(h);
}

static void set_options(CURL *c, const struct http_request *rq, struct curl_slist *hdrs)
{
    long timeout = rq->timeout_ms > 0 ? rq->timeout_ms : 1;
    long connect = rq->connect_timeout_ms > 0 ? rq->connect_timeout_ms : timeout;
    curl_easy_setopt(c, CURLOPT_URL, rq->url);
    if (rq->method && strcmp(rq->method, "GET") != 0)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
    else
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    if (rq->body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect);
    if (rq->no_proxy)
        curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    if (rq->http_only) {
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
}

int http_exchange(struct http_conn *h, const struct http_request *rq, char *err, size_t errlen)
{
    struct curl_slist *hdrs = NULL;
    if (rq->body && rq->content_type) {
        char ctype[128]; /* curl_slist_append copies it */
        snprintf(ctype, sizeof ctype, "Content-Type: %s", rq->content_type);
        hdrs = curl_slist_append(NULL, ctype);
    }
    curl_easy_reset(h->curl);
    h->len = 0;
    h->p[0] = '\0';
    h->status = 0;
    set_options(h->curl, rq, hdrs);
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
    CURLcode rc = curl_easy_perform(h->curl);
    curl_slist_free_all(hdrs);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s", curl_easy_strerror(rc));
        return -1;
    }
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &h->status);
    return 0;
}

long http_status(const struct http_conn *h)
{
    return h->status;
}

const char *http_body(const struct http_conn *h, size_t *len)
{
    if (len)
        *len = h->len;
    return h->p;
}

int http_get(const struct http_request *rq, long *status, char *body, size_t bodylen, char *err,
             size_t errlen)
{
    struct http_conn *h = http_open(body && bodylen ? bodylen - 1 : 0, 1);
    if (!h) {
        snprintf(err, errlen, "libcurl could not start");
        return -1;
    }
    int rc = http_exchange(h, rq, err, errlen);
    *status = h->status;
    if (body && bodylen)
        snprintf(body, bodylen, "%s", h->p);
    http_close(h);
    return rc;
}

char *http_param(const char *prefix, const char *name, const char *value)
{
    char *esc = curl_easy_escape(NULL, value, 0);
    if (!esc)
        return NULL;
    size_t n = strlen(prefix) + strlen(name) + strlen(esc) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s=%s", prefix, name, esc);
    curl_free(esc);
    return out;
}

void http_url_for_log(const char *url, char *out, size_t len)
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
