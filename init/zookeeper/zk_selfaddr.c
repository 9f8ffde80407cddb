/* zk_selfaddr.c - bind(2) tells whether an address is this node's (see zk_selfaddr.h). */
#include "zookeeper/zk_selfaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int zk_address_is_local(const char *host)
{
    struct addrinfo hints, *res = NULL;
    if (!host || !*host || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
        return -1;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, "0", &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = -1;
    if (fd >= 0) {
        if (bind(fd, res->ai_addr, res->ai_addrlen) == 0)
            rc = 1; /* port 0: nothing listens, nothing is sent */
        else if (errno == EADDRNOTAVAIL)
            rc = 0;
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}

/* The next blank-separated field of *P (advancing it) into BUF. */
static void field(const char **p, char *buf, size_t len)
{
    const char *s = *p + strspn(*p, " \t");
    size_t n = strcspn(s, " \t\n");
    snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), s);
    *p = s + n;
}

/* One /proc/net/tcp* line: "N: LOCAL:PORT REMOTE:PORT ST ...", hex. 1 with the address in OUT when
 * it listens on PORT. */
static int listener(const char *line, int v6, int port, char *out, size_t len)
{
    char slot[16], local[48], remote[48], st[8];
    const char *p = line;
    field(&p, slot, sizeof slot);
    field(&p, local, sizeof local);
    field(&p, remote, sizeof remote);
    field(&p, st, sizeof st);
    const char *colon = strchr(local, ':');
    size_t alen = v6 ? 32 : 8;
    if (!colon || (size_t)(colon - local) != alen || strcmp(st, "0A") != 0 ||
        strtol(colon + 1, NULL, 16) != port)
        return 0;
    unsigned char bytes[16];
    for (size_t w = 0; w < alen / 8; w++) {
        char word[9];
        memcpy(word, local + 8 * w, 8);
        word[8] = '\0';
        uint32_t v = (uint32_t)strtoul(word, NULL, 16); /* the kernel prints host-order words */
        memcpy(bytes + 4 * w, &v, 4);
    }
    return inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, out, (socklen_t)len) != NULL;
}

int zk_listeners_parse(const char *text, int v6, int port, char out[][64], int max)
{
    int n = 0;
    for (const char *p = text; p && *p && n < max;) {
        if (listener(p, v6, port, out[n], 64))
            n++;
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return n;
}

static char *read_proc(const char *path)
{
    FILE *f = fopen(path, "re");
    char *buf = f ? calloc(1, 1 << 20) : NULL;
    if (buf)
        buf[fread(buf, 1, (1 << 20) - 1, f)] = '\0';
    if (f)
        fclose(f);
    return buf;
}

/* A listener's address: a wildcard, or one this node still has. */
static int still_here(const char *addr)
{
    if (strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0)
        return 1;
    if (strncmp(addr, "::ffff:", 7) == 0)
        addr += 7; /* an IPv4 address on an IPv6 socket */
    return zk_address_is_local(addr) != 0;
}

int zk_port_listens_here(int port)
{
    static char addrs[64][64];
    int n = 0, here = 0;
    const char *files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    for (int v6 = 0; v6 < 2; v6++) {
        char *text = read_proc(files[v6]);
        if (text)
            n += zk_listeners_parse(text, v6, port, &addrs[n], 64 - n);
        free(text);
    }
    for (int i = 0; i < n && !here; i++)
        here = still_here(addrs[i]);
    return n == 0 ? -1 : here;
}
