/* subtree.h - signal every process below zkinit (orphans it adopted included). */
#ifndef ZKINIT_SUBTREE_H
#define ZKINIT_SUBTREE_H

#include <sys/types.h>

#define SUBTREE_MAX 16384 /* processes the /proc scan holds; more are reported, not signalled */

/* Sends SIG to every descendant of zkinit: as PID 1, every other process of the namespace
 * (kill(-1)); otherwise the descendants found in /proc, each through a pidfd opened and checked
 * (still the same parent) before the signal, so a pid reused since the scan is never hit; by pid
 * where the kernel has no pidfds. Logs a warning when /proc holds more than SUBTREE_MAX
 * processes. Returns how many were signalled (PID 1: 0 or 1). */
int subtree_signal(int sig);

/* The descendants of ROOT in the /proc-like directory PROC, scanning at most CAP (<=
 * SUBTREE_MAX) processes; *OVERFLOW = 1 when there were more. For tests. */
int subtree_count(const char *proc, pid_t root, int cap, int *overflow);

#endif
