/* zk_child.c - run a ZooKeeper client function in a forked process with a deadline. */
#include "zkclient/zk_child.h"

#include "util/stopwait.h"
#include "zkclient/zk_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static long min_l(long a, long b)
{
    return a < b ? a : b;
}

static void child_main(int fd, int (*fn)(void *, char *, size_t), void *arg, size_t outlen)
{
    char *buf = calloc(1, outlen);
    int rc = buf ? fn(arg, buf, outlen) : 70;
    if (buf) {
        size_t len = strnlen(buf, outlen - 1), off = 0;
        while (off < len) {
            ssize_t n = write(fd, buf + off, len - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            off += (size_t)n;
        }
    }
    _exit(rc & 0xff);
}

/* 0 at EOF, or a ZK_CHILD_* code. */
static int read_until(int fd, char *out, size_t outlen, long deadline)
{
    size_t len = 0;
    for (;;) {
        long left = deadline - clock_ms();
        if (left <= 0)
            return ZK_CHILD_TIMEOUT;
        if (stopwait_pending())
            return ZK_CHILD_STOPPED;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)min_l(left, 50));
        if (r < 0 && errno != EINTR)
            return ZK_CHILD_FAILED;
        if (r <= 0)
            continue;
        char tmp[1024];
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        size_t k = (size_t)n < outlen - 1 - len ? (size_t)n : outlen - 1 - len;
        memcpy(out + len, tmp, k);
        len += k;
        out[len] = '\0';
    }
}

int zk_in_child(int (*fn)(void *arg, char *out, size_t outlen), void *arg, char *out, size_t outlen,
                long deadline)
{
    int fds[2];
    out[0] = '\0';
    if (pipe2(fds, O_CLOEXEC) != 0)
        return ZK_CHILD_FAILED;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return ZK_CHILD_FAILED;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1], fn, arg, outlen);
    }
    close(fds[1]);
    int rc = read_until(fds[0], out, outlen, deadline);
    close(fds[0]);
    if (rc != 0)
        kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc != 0)
        return rc;
    return WIFEXITED(status) ? WEXITSTATUS(status) : ZK_CHILD_FAILED;
}
