/* zk_reach.c - resolve, then race one session per address (see zk_reach.h). */
#include "zkclient/zk_reach.h"

#include "util/clock.h"
#include "util/hostport.h"
#include "zkclient/zk_client.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int zk_reach_split(const char *hosts, char host[][128], int port[], int max)
{
    int n = 0;
    for (const char *p = hosts; p && *p && n < max;) {
        size_t len = strcspn(p, ",");
        const char *ptext;
        size_t plen;
        if (hostport_split(p, len, HOSTPORT_PORT_REQUIRED, host[n], 128, &ptext, &plen) == 0) {
            port[n] = (int)strtol(ptext, NULL, 10);
            if (port[n] > 0 && port[n] < 65536)
                n++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return n;
}

static int numeric(const struct addrinfo *ai, char *out, size_t outlen)
{
    char buf[INET6_ADDRSTRLEN];
    const void *a = ai->ai_family == AF_INET6
                        ? (const void *)&((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
                        : (const void *)&((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
    if (!inet_ntop(ai->ai_family, a, buf, sizeof buf))
        return -1;
    return host_bracket(buf, strlen(buf), out, outlen);
}

static zk_reach_resolver resolver = getaddrinfo;

void zk_reach_set_resolver(zk_reach_resolver fn)
{
    resolver = fn ? fn : getaddrinfo;
}

int zk_reach_resolve(const char *host, int tries, long delay_ms, char *out, size_t outlen)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    for (int i = 0; i < tries; i++) {
        if (i)
            sleep_ms(delay_ms);
        if (resolver(host, NULL, &hints, &res) != 0)
            continue;
        int rc = numeric(res, out, outlen);
        freeaddrinfo(res);
        if (rc == 0)
            return 0;
    }
    return -1;
}

/* The first handle of HS that is connected, closing the rest; NULL at DEADLINE. */
static zhandle_t *race(zhandle_t **hs, int n, long deadline)
{
    zhandle_t *won = NULL;
    unsigned seen = zkc_events_seen(); /* read before looking: no event is missed */
    while (!won && clock_ms() < deadline) {
        for (int i = 0; i < n && !won; i++) {
            if (hs[i] && zkc_connected(hs[i]))
                won = hs[i];
        }
        if (!won)
            zkc_wait_any(&seen, deadline);
    }
    for (int i = 0; i < n; i++) {
        if (hs[i] && hs[i] != won)
            zkc_close(hs[i]);
    }
    return won;
}

zhandle_t *zk_reach_first(const char *hosts, long deadline, const char *super_password,
                          enum zk_reach_fail *why)
{
    static char host[ZK_REACH_MAX][128];
    int port[ZK_REACH_MAX];
    zhandle_t *hs[ZK_REACH_MAX] = {0};
    int n = zk_reach_split(hosts, host, port, ZK_REACH_MAX), opened = 0, unresolved = 0;
    for (int i = 0; i < n; i++) {
        char addr[INET6_ADDRSTRLEN + 3], hp[INET6_ADDRSTRLEN + 16];
        if (zk_reach_resolve(host[i], 3, 150, addr, sizeof addr) != 0) {
            unresolved++;
            continue;
        }
        snprintf(hp, sizeof hp, "%s:%d", addr, port[i]);
        hs[opened] = zkc_open(hp);
        if (hs[opened])
            opened++;
    }
    zhandle_t *zh = opened ? race(hs, opened, deadline) : NULL;
    *why = zh           ? ZK_REACH_OK
           : n == 0     ? ZK_REACH_EMPTY
           : unresolved ? ZK_REACH_UNRESOLVED
                        : ZK_REACH_NOBODY;
    if (zh && super_password)
        zkc_authenticate(zh, super_password);
    return zh;
}

const char *zk_reach_fail_name(enum zk_reach_fail why)
{
    static const char *const names[] = {"reached", "nobody-answered", "unresolved", "no-hosts"};
    return (unsigned)why < 4 ? names[why] : "?";
}
