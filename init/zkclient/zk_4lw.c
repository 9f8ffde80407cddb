/* zk_4lw.c - four-letter words with a deadline (see zk_4lw.h). */
#include "zkclient/zk_4lw.h"

#include "util/clock.h"
#include "util/hostport.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Waits for EVENTS on FD until DEADLINE: 1 ready, 0 not. */
static int wait_fd(int fd, short events, long deadline)
{
    for (;;) {
        long left = deadline - clock_ms();
        struct pollfd p = {.fd = fd, .events = events};
        if (left <= 0)
            return 0;
        int n = poll(&p, 1, (int)left);
        if (n > 0)
            return 1;
        if (n == 0 || errno != EINTR)
            return 0;
    }
}

/* A connected non-blocking socket to HOST:PORT before DEADLINE, or -1. */
static int connect_by(const char *host, long port, long deadline)
{
    char service[16];
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    snprintf(service, sizeof service, "%ld", port);
    if (getaddrinfo(host, service, &hints, &ai) != 0 || !ai)
        return -1;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        int err = 0;
        socklen_t len = sizeof err;
        if (errno != EINPROGRESS || !wait_fd(fd, POLLOUT, deadline) ||
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    return fd;
}

int zk_4lw_ask(const char *host, long port, const char *word, long timeout_ms, char *out,
               size_t outlen)
{
    long deadline = clock_ms() + timeout_ms;
    size_t len = 0;
    out[0] = '\0';
    int fd = connect_by(host, port, deadline);
    if (fd < 0)
        return -1;
    if (send(fd, word, 4, MSG_NOSIGNAL) != 4) {
        close(fd);
        return -1;
    }
    while (len < outlen - 1 && wait_fd(fd, POLLIN, deadline)) {
        ssize_t n = read(fd, out + len, outlen - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    out[len] = '\0';
    return len > 0 ? 0 : -1;
}

int zk_4lw_ask_hostport(const char *hostport, const char *word, long timeout_ms, char *out,
                        size_t outlen)
{
    char host[256];
    const char *port;
    size_t plen;
    if (hostport_split(hostport, strlen(hostport), HOSTPORT_PORT_REQUIRED, host, sizeof host, &port,
                       &plen) != 0)
        return -1;
    return zk_4lw_ask(host, strtol(port, NULL, 10), word, timeout_ms, out, outlen);
}

void zk_4lw_mode(const char *answer, char *mode, size_t len)
{
    const char *m = strstr(answer, "Mode: ");
    mode[0] = '\0';
    if (m)
        snprintf(mode, len, "%.*s", (int)strcspn(m + 6, "\r\n"), m + 6);
}

int zk_4lw_refused(const char *answer)
{
    return strstr(answer, "whitelist") != NULL;
}

int zk_4lw_serving(const char *mode)
{
    return strcmp(mode, "leader") == 0 || strcmp(mode, "follower") == 0 ||
           strcmp(mode, "observer") == 0 || strcmp(mode, "standalone") == 0;
}

int zk_4lw_zxid(const char *answer, uint64_t *zxid)
{
    for (const char *p = answer; *p;) {
        size_t n = strcspn(p, "\n");
        if (n > 8 && strncmp(p, "Zxid: 0x", 8) == 0) {
            size_t h = strspn(p + 8, "0123456789abcdefABCDEF");
            if (h == 0 || h > 16 || (p[8 + h] != '\n' && p[8 + h] != '\r' && p[8 + h] != '\0'))
                return -1;
            *zxid = strtoull(p + 8, NULL, 16);
            return 0;
        }
        p += n + (p[n] == '\n');
    }
    return -1;
}
