/* clock.h - the monotonic clock in milliseconds, and sleeping for a while: for deadlines. */
#ifndef ZKINIT_CLOCK_H
#define ZKINIT_CLOCK_H

/* Milliseconds of CLOCK_MONOTONIC (never jumps with the wall clock; long is 64-bit here). */
long clock_ms(void);
/* Sleeps MS milliseconds (nothing when MS <= 0), resuming after a signal interrupts it. */
void sleep_ms(long ms);

#endif
