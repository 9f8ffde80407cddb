/* zk_child.h - run a ZooKeeper client function in a forked process, so that no client thread or
 * session ever lives in the supervisor; its output comes back through a pipe. */
#ifndef ZKINIT_ZK_CHILD_H
#define ZKINIT_ZK_CHILD_H

#include <stddef.h>

/* What zk_in_child returns besides FN's own 0..255: none of these means "nobody answered". */
enum {
    ZK_CHILD_FAILED = -1,  /* no process (fork or pipe failed: a pids limit?), or it crashed */
    ZK_CHILD_TIMEOUT = -2, /* it passed DEADLINE and was killed */
    ZK_CHILD_STOPPED = -3, /* a stop signal (SIGTERM/SIGINT) is pending: it was killed */
};

/* Runs FN(ARG, OUT, OUTLEN) in a forked process and copies what it wrote to OUT back (at most
 * OUTLEN-1 bytes, NUL-terminated). Returns FN's return value (0..255) or a ZK_CHILD_* code. */
int zk_in_child(int (*fn)(void *arg, char *out, size_t outlen), void *arg, char *out, size_t outlen,
                long deadline);

#endif
