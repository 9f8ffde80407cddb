/* hostport.h - "host:port" text with IPv6 literals in brackets ("[fd00::1]:2181"): the one
 * writer and the one reader every module uses. Pure: no I/O. */
#ifndef ZKINIT_HOSTPORT_H
#define ZKINIT_HOSTPORT_H

#include <stddef.h>

/* The N bytes of HOST as they go before ":port" or into a URL: in brackets when they hold a ':'
 * and are not bracketed already. 0, or -1 when OUT is too small. */
int host_bracket(const char *host, size_t n, char *out, size_t len);
/* The N bytes of HOST without the brackets of "[v6]" (anything else as it is). 0 or -1. */
int host_unbracket(const char *host, size_t n, char *out, size_t len);
/* "HOST:PORT", HOST bracketed as host_bracket does. 0, or -1 when OUT is too small. */
int hostport_join(const char *host, long port, char *out, size_t len);

/* How hostport_split reads a colon that is not after a ']'. */
enum hostport_form {
    HOSTPORT_PORT_OPTIONAL, /* "h:p", "h", "[v6]:p", "[v6]", or a bare "v6" (no port) */
    HOSTPORT_PORT_REQUIRED, /* the last ':' starts the port, as ZooKeeper's clients read it */
};
/* Splits the N bytes of S: the host, without brackets, into HOST; the port's text into *PORT and
 * *PORTLEN (NULL and 0 when there is none). 0, or -1 when a '[' has no ']' followed by ':' or the
 * end, a required port is missing, the host is empty or HOST is too small. */
int hostport_split(const char *s, size_t n, enum hostport_form form, char *host, size_t hlen,
                   const char **port, size_t *portlen);

#endif
