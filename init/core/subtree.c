/* subtree.c - find zkinit's descendants in /proc and signal them through pidfds (no
 * allocation). */
#include "core/subtree.h"

#include "util/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture (Linux 5.3) */
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424 /* Linux 5.1 */
#endif

static struct {
    pid_t pid[SUBTREE_MAX];
    pid_t ppid[SUBTREE_MAX];
    unsigned char marked[SUBTREE_MAX];
    int n;
    int overflow;
} table;

/* Parent pid from PROC/PID/stat ("pid (comm) state ppid ..."; comm may hold ')'), or -1. */
static pid_t read_ppid(const char *proc, pid_t pid)
{
    char path[256], buf[512];
    snprintf(path, sizeof path, "%s/%d/stat", proc, (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
        return -1; /* ") S ppid" */
    char *end;
    long ppid = strtol(p + 4, &end, 10);
    if (end == p + 4 || *end != ' ')
        return -1;
    return (pid_t)ppid;
}

/* Fills the table with at most CAP processes of PROC; notes whether there were more. */
static void scan_proc(const char *proc, int cap)
{
    table.n = 0;
    table.overflow = 0;
    DIR *d = opendir(proc);
    if (!d) {
        log_warn("cannot read /proc to find orphans", "error=\"%s\"", strerror(errno));
        return;
    }
    const struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        pid_t ppid = read_ppid(proc, (pid_t)pid);
        if (ppid < 0)
            continue;
        if (table.n == cap) {
            table.overflow = 1;
            break;
        }
        table.pid[table.n] = (pid_t)pid;
        table.ppid[table.n] = ppid;
        table.n++;
    }
    closedir(d);
}

/* Marks every process whose ancestry reaches ROOT; returns how many. */
static int mark_descendants(pid_t root)
{
    int count = 0, changed = 1, n = table.n;
    memset(table.marked, 0, (size_t)n);
    while (changed) {
        changed = 0;
        for (int i = 0; i < n; i++) {
            if (table.marked[i])
                continue;
            int parent_marked = table.ppid[i] == root;
            for (int j = 0; j < n && !parent_marked; j++)
                parent_marked = table.marked[j] && table.pid[j] == table.ppid[i];
            if (parent_marked) {
                table.marked[i] = 1;
                changed = 1;
                count++;
            }
        }
    }
    return count;
}

int subtree_count(const char *proc, pid_t root, int cap, int *overflow)
{
    scan_proc(proc, cap < SUBTREE_MAX ? cap : SUBTREE_MAX);
    *overflow = table.overflow;
    return mark_descendants(root);
}

/* SIG to PID, which the scan saw as a child of PPID: through a pidfd, once the process behind
 * it is known to be that one (same parent, or reparented to zkinit since). 1 when sent. */
static int signal_checked(pid_t pid, pid_t ppid, int sig)
{
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0)
        return errno != ESRCH && kill(pid, sig) == 0; /* no pidfds (ENOSYS): by pid */
    pid_t now = read_ppid("/proc", pid);
    int sent =
        (now == ppid || now == getpid()) && syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) == 0;
    close(fd);
    return sent;
}

int subtree_signal(int sig)
{
    if (getpid() == 1)
        return kill(-1, sig) == 0 ? 1 : 0;
    scan_proc("/proc", SUBTREE_MAX);
    if (table.overflow)
        log_warn("more processes than the orphan table holds; some descendants may not be "
                 "signalled",
                 "table=%d signal=%d", SUBTREE_MAX, sig);
    if (mark_descendants(getpid()) == 0)
        return 0;
    int sent = 0;
    for (int i = 0; i < table.n; i++) {
        if (table.marked[i])
            sent += signal_checked(table.pid[i], table.ppid[i], sig);
    }
    return sent;
}
