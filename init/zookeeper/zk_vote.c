/* zk_vote.c - a non-voter's question on the election port (see zk_vote.h). */
#include "zookeeper/zk_vote.h"

#include "util/clock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROTOCOL_VERSION_V1 (-65536LL)
#define NOTIFICATION_LEN 40 /* state, leader, zxid, election epoch, peer epoch, version */
#define FRAME_MAX 65536     /* a notification carries at most a config */

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (24 - 8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)(v >> 32));
    put32(p + 4, (uint32_t)v);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) << 32 | get32(p + 4);
}

size_t zk_vote_request(unsigned char *buf, size_t len, long long sid, const char *addr)
{
    size_t alen = strlen(addr), need = 20 + alen + 4 + NOTIFICATION_LEN;
    if (len < need || alen == 0 || alen > 255)
        return 0;
    memset(buf, 0, need);
    put64(buf, (uint64_t)PROTOCOL_VERSION_V1);
    put64(buf + 8, (uint64_t)sid);
    put32(buf + 16, (uint32_t)alen);
    for (size_t i = 0; i < alen; i++) /* length-prefixed, no NUL */
        buf[20 + i] = (unsigned char)addr[i];
    unsigned char *n = buf + 20 + alen;
    put32(n, NOTIFICATION_LEN);
    put32(n + 4, 0);             /* LOOKING */
    put64(n + 8, (uint64_t)sid); /* our vote: ourselves */
    put64(n + 16, 0);            /* zxid */
    put64(n + 24, 0);            /* election epoch */
    put64(n + 32, 0);            /* peer epoch; the version word stays 0 */
    return need;
}

long zk_vote_parse(const unsigned char *buf, size_t len, struct zk_vote *out)
{
    if (len < 4)
        return 0;
    uint32_t flen = get32(buf);
    if (flen < 28 || flen > FRAME_MAX)
        return -1;
    if (len < 4 + (size_t)flen)
        return 0;
    const unsigned char *p = buf + 4;
    out->state = (int)get32(p);
    out->leader = (long long)get64(p + 4);
    out->zxid = (long long)get64(p + 12);
    out->election_epoch = (long long)get64(p + 20);
    out->peer_epoch = flen >= 36 ? (long long)get64(p + 28) : (long long)(get64(p + 12) >> 32);
    if (out->state < 0 || out->state > 3)
        return -1;
    return 4 + (long)flen;
}

static int connect_by(const char *host, int port, long deadline)
{
    struct addrinfo hints, *res = NULL;
    char service[8];
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    snprintf(service, sizeof service, "%d", port);
    if (getaddrinfo(host, service, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0 && errno != EINPROGRESS) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return -1;
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int err = 0;
    socklen_t elen = sizeof err;
    long left = deadline - clock_ms();
    if (left <= 0 || poll(&p, 1, (int)left) != 1 ||
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads until one notification is complete or DEADLINE passes. */
static int read_vote(int fd, long deadline, struct zk_vote *out)
{
    static unsigned char buf[FRAME_MAX + 4];
    size_t have = 0;
    for (;;) {
        long r = zk_vote_parse(buf, have, out);
        if (r != 0)
            return r > 0 ? 0 : -1;
        long left = deadline - clock_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) != 1)
            return -1;
        ssize_t n = read(fd, buf + have, sizeof buf - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        have += (size_t)n;
    }
}

int zk_vote_ask(const char *host, int port, long deadline, struct zk_vote *out)
{
    unsigned char req[512];
    /* a sid above every server id (1..255), not Long.MAX_VALUE (the "unknown observer" id) */
    long long sid = 0x7ffffffffffff000LL + (getpid() & 0xfff);
    size_t n = zk_vote_request(req, sizeof req, sid, "127.0.0.1:1");
    int fd = n ? connect_by(host, port, deadline) : -1;
    if (fd < 0)
        return -1;
    int rc = -1;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, req + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            long left = deadline - clock_ms();
            if (left <= 0 || poll(&p, 1, (int)left) != 1)
                break;
            continue;
        }
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    if (off == n)
        rc = read_vote(fd, deadline, out);
    close(fd);
    return rc;
}
