/* addr.c - this node's address: HOST_IP, else the host name's non-loopback address, else the
 * first non-loopback interface address. */
#include "util/addr.h"

#include "util/exitcodes.h"
#include "util/log.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int addr_is_literal(const char *s)
{
    unsigned char buf[sizeof(struct in6_addr)];
    if (!s || !*s)
        return 0;
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int addr_canonical(const char *s, char *out, size_t len)
{
    unsigned char buf[sizeof(struct in6_addr)];
    char text[INET6_ADDRSTRLEN];
    int family = s && strchr(s, ':') ? AF_INET6 : AF_INET;
    if (!s || inet_pton(family, s, buf) != 1 || !inet_ntop(family, buf, text, sizeof text) ||
        strlen(text) >= len)
        return -1;
    memcpy(out, text, strlen(text) + 1);
    return 0;
}

static int is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) || IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr);
    }
    return 1;
}

static int sa_to_text(const struct sockaddr *sa, char *out, size_t len)
{
    socklen_t salen =
        sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    return getnameinfo(sa, salen, out, (socklen_t)len, NULL, 0, NI_NUMERICHOST) == 0 ? 0 : -1;
}

/* The host name's first non-loopback address (IPv4 preferred). 0 or -1. */
static int from_hostname(char *out, size_t len)
{
    char host[256];
    if (gethostname(host, sizeof host) != 0)
        return -1;
    host[sizeof host - 1] = '\0';
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG};
    struct addrinfo *res = NULL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return -1;
    int rc = -1;
    for (int family = AF_INET; rc != 0 && family != 0; family = family == AF_INET ? AF_INET6 : 0) {
        for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
            if (ai->ai_family == family && !is_loopback(ai->ai_addr) &&
                sa_to_text(ai->ai_addr, out, len) == 0) {
                rc = 0;
                break;
            }
        }
    }
    freeaddrinfo(res);
    return rc;
}

/* The first non-loopback interface address (IPv4 preferred). 0 or -1. */
static int from_interfaces(char *out, size_t len)
{
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) != 0)
        return -1;
    int rc = -1;
    for (int family = AF_INET; rc != 0 && family != 0; family = family == AF_INET ? AF_INET6 : 0) {
        for (const struct ifaddrs *i = ifs; i; i = i->ifa_next) {
            if (i->ifa_addr && i->ifa_addr->sa_family == family && !is_loopback(i->ifa_addr) &&
                sa_to_text(i->ifa_addr, out, len) == 0) {
                rc = 0;
                break;
            }
        }
    }
    freeifaddrs(ifs);
    return rc;
}

int addr_detect(char *out, size_t len)
{
    const char *v = getenv("HOST_IP");
    if (v) {
        if (addr_canonical(v, out, len) != 0) {
            log_error("bad environment value",
                      "variable=HOST_IP value=\"%s\" hint=\"use this node's IPv4 or IPv6 address, "
                      "e.g. 10.0.0.5\"",
                      v);
            return EXIT_USAGE;
        }
        if (strcmp(out, v) != 0)
            log_debug("HOST_IP in canonical form", "value=%s address=%s", v, out);
        return 0;
    }
    if (from_hostname(out, len) == 0 && addr_canonical(out, out, len) == 0) {
        log_debug("address from the host name", "address=%s", out);
        return 0;
    }
    if (from_interfaces(out, len) == 0 && addr_canonical(out, out, len) == 0) {
        log_debug("address from the first non-loopback interface", "address=%s", out);
        return 0;
    }
    snprintf(out, len, "127.0.0.1");
    log_warn("no non-loopback address found; using 127.0.0.1 (set HOST_IP for an ensemble)",
             "address=%s", out);
    return 0;
}
