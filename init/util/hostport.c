/* hostport.c - "host:port" text with IPv6 literals in brackets. */
#include "util/hostport.h"

#include <stdio.h>
#include <string.h>

static int fits(int n, size_t len)
{
    return n >= 0 && (size_t)n < len ? 0 : -1;
}

int host_bracket(const char *host, size_t n, char *out, size_t len)
{
    int v6 = memchr(host, ':', n) != NULL && !(n > 0 && host[0] == '[');
    return fits(snprintf(out, len, v6 ? "[%.*s]" : "%.*s", (int)n, host), len);
}

int host_unbracket(const char *host, size_t n, char *out, size_t len)
{
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    return fits(snprintf(out, len, "%.*s", (int)n, host), len);
}

int hostport_join(const char *host, long port, char *out, size_t len)
{
    size_t n = strlen(host);
    if (host_bracket(host, n, out, len) != 0)
        return -1;
    size_t used = strlen(out);
    return fits(snprintf(out + used, len - used, ":%ld", port), len - used);
}

/* Where the host ends in S (N bytes): at the ']' of "[v6]", or at the colon that starts the
 * port. *PORT_AT is the port's first byte, or NULL. -1 when S is malformed. */
static int host_end(const char *s, size_t n, enum hostport_form form, size_t *end,
                    const char **port_at)
{
    *port_at = NULL;
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close)
            return -1;
        *end = (size_t)(close - s) + 1;
        if (*end < n && s[*end] != ':')
            return -1;
        if (*end < n)
            *port_at = close + 2;
        return 0;
    }
    const char *last = n ? memrchr(s, ':', n) : NULL;
    const char *first = n ? memchr(s, ':', n) : NULL;
    if (last && (form == HOSTPORT_PORT_REQUIRED || first == last)) {
        *end = (size_t)(last - s);
        *port_at = last + 1;
    } else {
        *end = n;
    }
    return 0;
}

int hostport_split(const char *s, size_t n, enum hostport_form form, char *host, size_t hlen,
                   const char **port, size_t *portlen)
{
    size_t end;
    const char *at;
    *port = NULL;
    *portlen = 0;
    if (host_end(s, n, form, &end, &at) != 0 || (form == HOSTPORT_PORT_REQUIRED && !at))
        return -1;
    if (host_unbracket(s, end, host, hlen) != 0 || !host[0])
        return -1;
    if (at) {
        *port = at;
        *portlen = n - (size_t)(at - s);
    }
    return 0;
}
