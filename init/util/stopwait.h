/* stopwait.h - stop signals before supervise(): main() blocks every signal first (as PID 1 the
 * kernel would drop a SIGTERM that has no handler), so a stop stays pending; long waits of a
 * role's preparation ask here and end early, and the role exits with 128+N. */
#ifndef ZKINIT_STOPWAIT_H
#define ZKINIT_STOPWAIT_H

/* Blocks every signal (1-64, also the ones musl's sigfillset leaves out). 0, or -1 on failure. */
int stopwait_block_all(void);
/* Undoes it (the short-lived tools). */
void stopwait_unblock_all(void);
/* SIGTERM or SIGINT when one is pending (not consumed: supervise() still reads it), else 0. */
int stopwait_pending(void);
/* Sleeps up to MS milliseconds; returns early with the stop signal when one is pending, else 0. */
int stopwait_sleep_ms(long ms);

#endif
