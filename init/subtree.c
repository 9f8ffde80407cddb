/* subtree.c - find zkinit's descendants in /proc and signal them (no allocation). */
#include "subtree.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_PROCS 16384

static pid_t proc_pid[MAX_PROCS];
static pid_t proc_ppid[MAX_PROCS];
static unsigned char marked[MAX_PROCS];

/* Parent pid from /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold ')'), or -1. */
static pid_t read_ppid(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
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

static int scan_proc(void)
{
    DIR *d = opendir("/proc");
    if (!d) {
        log_warn("cannot read /proc to find orphans", "error=\"%s\"", strerror(errno));
        return 0;
    }
    int n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) && n < MAX_PROCS) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        pid_t ppid = read_ppid((pid_t)pid);
        if (ppid < 0)
            continue;
        proc_pid[n] = (pid_t)pid;
        proc_ppid[n] = ppid;
        n++;
    }
    closedir(d);
    return n;
}

/* Marks every process whose ancestry reaches ROOT; returns how many. */
static int mark_descendants(int n, pid_t root)
{
    int count = 0, changed = 1;
    memset(marked, 0, (size_t)n);
    while (changed) {
        changed = 0;
        for (int i = 0; i < n; i++) {
            if (marked[i])
                continue;
            int parent_marked = proc_ppid[i] == root;
            for (int j = 0; j < n && !parent_marked; j++)
                parent_marked = marked[j] && proc_pid[j] == proc_ppid[i];
            if (parent_marked) {
                marked[i] = 1;
                changed = 1;
                count++;
            }
        }
    }
    return count;
}

int subtree_signal(int sig)
{
    if (getpid() == 1)
        return kill(-1, sig) == 0 ? 1 : 0;
    int n = scan_proc();
    if (mark_descendants(n, getpid()) == 0)
        return 0;
    int sent = 0;
    for (int i = 0; i < n; i++) {
        if (marked[i] && kill(proc_pid[i], sig) == 0)
            sent++;
    }
    return sent;
}
