/* fds.h - the file descriptors a child of zkinit inherits: 0, 1 and 2, and for COMMAND the
 * sockets of systemd-style socket activation (LISTEN_FDS, from fd 3) when they are zkinit's own.
 * Every other descriptor zkinit got from its parent or opened itself is closed on exec. */
#ifndef ZKINIT_FDS_H
#define ZKINIT_FDS_H

/* How many activation sockets (fds 3..3+N-1) belong to a process with pid SELF: N when
 * LISTEN_FDS is a number from 1 to 1024 and LISTEN_PID is unset, empty or SELF, else 0. Pure. */
int fds_listen_count(const char *listen_fds, const char *listen_pid, long self);

/* In a freshly forked child: marks every descriptor from FIRST up close-on-exec
 * (close_range(CLOSE_RANGE_CLOEXEC), else one by one from /proc/self/fd). Async-signal-safe. */
void fds_cloexec_from(int first);

#endif
