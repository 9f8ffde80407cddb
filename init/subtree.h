/* subtree.h - signal every process below zkinit (orphans it adopted included). */
#ifndef ZKINIT_SUBTREE_H
#define ZKINIT_SUBTREE_H

/* Sends SIG to every descendant of zkinit: as PID 1, every other process of the namespace;
 * otherwise the descendants found in /proc. Returns how many were signalled (PID 1: 0 or 1). */
int subtree_signal(int sig);

#endif
