/* fds.c - what a child inherits: 0-2, and COMMAND its activation sockets (see fds.h). */
#include "core/fds.h"

#include "util/parse.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436 /* the same number on every architecture */
#endif
#define CLOEXEC_FLAG (1U << 2) /* CLOSE_RANGE_CLOEXEC, Linux 5.11 */
#define LISTEN_FDS_MAX 1024
#define FALLBACK_MAX_FD 65536 /* without /proc: the descriptors tried one by one */

int fds_listen_count(const char *listen_fds, const char *listen_pid, long self)
{
    long n, pid;
    if (!listen_fds || parse_long(listen_fds, 1, LISTEN_FDS_MAX, &n) != 0)
        return 0;
    if (listen_pid && *listen_pid &&
        (parse_long(listen_pid, 1, 0x7fffffff, &pid) != 0 || pid != self))
        return 0;
    return (int)n;
}

static void cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC))
        fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* The open descriptors from /proc/self/fd, read with getdents64 (no allocation). 0, or -1. */
static int cloexec_listed(int first)
{
    char buf[4096];
    int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    for (;;) {
        long n = syscall(SYS_getdents64, dfd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            const char *name = buf + off + 19; /* d_ino 8, d_off 8, d_reclen 2, d_type 1 */
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            long fd;
            if (parse_long(name, 0, 0x7fffffff, &fd) == 0 && fd >= first && fd != dfd)
                cloexec((int)fd);
            off += reclen;
        }
    }
    close(dfd);
    return 0;
}

void fds_cloexec_from(int first)
{
    if (syscall(SYS_close_range, (unsigned)first, ~0U, CLOEXEC_FLAG) == 0)
        return;
    if (cloexec_listed(first) == 0)
        return;
    for (int fd = first; fd < FALLBACK_MAX_FD; fd++)
        cloexec(fd);
}
