/* zk_child.h - run a ZooKeeper client function in a forked process, so that no client thread or
 * session ever lives in the supervisor; its output comes back through a pipe. */
#ifndef ZKINIT_ZK_CHILD_H
#define ZKINIT_ZK_CHILD_H

#include <stddef.h>

/* Runs FN(ARG, OUT, OUTLEN) in a forked process and copies what it wrote to OUT back (at most
 * OUTLEN-1 bytes, NUL-terminated). Returns FN's return value (0..255), or -1 when the process
 * failed or passed DEADLINE (clock_ms() clock; it is then killed). */
int zk_in_child(int (*fn)(void *arg, char *out, size_t outlen), void *arg, char *out, size_t outlen,
                long deadline);

#endif
