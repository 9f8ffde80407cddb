/* zk_selfaddr.c - bind(2) tells whether an address is this node's (see zk_selfaddr.h). */
#include "zk_selfaddr.h"

#include <errno.h>
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
