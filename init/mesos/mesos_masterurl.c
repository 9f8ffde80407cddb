/* mesos_masterurl.c - master URLs as Mesos reads them (see mesos_masterurl.h). */
#include "mesos/mesos_masterurl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FILE_HOPS 4

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Copies S without the blanks around it into OUT. -1 when it does not fit. */
static int trim_into(const char *s, size_t n, char *out, size_t len)
{
    while (n > 0 && is_space(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n >= len)
        return -1;
    memmove(out, s, n);
    out[n] = '\0';
    return 0;
}

/* PATH's content (at most LEN-1 bytes) into OUT; its length, or -1 with errno set. */
static ssize_t read_small(const char *path, char *out, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t used = 0;
    ssize_t r = 0;
    while (used < len - 1 && (r = read(fd, out + used, len - 1 - used)) > 0)
        used += (size_t)r;
    int err = errno;
    close(fd);
    errno = err;
    return r < 0 ? -1 : (ssize_t)used;
}

int mesos_master_url(const char *value, char *out, size_t len, const char **why)
{
    if (len == 0 || trim_into(value, strlen(value), out, len) != 0) {
        *why = "the master URL is too long";
        return -1;
    }
    for (int hop = 0; strncmp(out, "file://", 7) == 0; hop++) {
        char path[4096], buf[8192];
        if (hop == FILE_HOPS || snprintf(path, sizeof path, "%s", out + 7) >= (int)sizeof path) {
            *why = hop == FILE_HOPS ? "file:// refers to file:// again and again"
                                    : "the file:// path is too long";
            return -1;
        }
        ssize_t n = read_small(path, buf, sizeof buf);
        if (n < 0) {
            *why = "cannot read the file:// the master URL names";
            return -1;
        }
        if (trim_into(buf, (size_t)n, out, len) != 0) {
            *why = "the master URL in the file:// is too long";
            return -1;
        }
    }
    return 0;
}
