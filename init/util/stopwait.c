/* stopwait.c - pending stop signals during a role's preparation (see stopwait.h). */
#include "util/stopwait.h"

#include "util/clock.h"

#include <signal.h>
#include <string.h>

#define SLICE_MS 50 /* how quickly a wait notices a stop */

int stopwait_block_all(void)
{
    sigset_t all;
    memset(&all, 0xff, sizeof all);
    return sigprocmask(SIG_SETMASK, &all, NULL) == 0 ? 0 : -1;
}

void stopwait_unblock_all(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

int stopwait_pending(void)
{
    sigset_t pending;
    if (sigpending(&pending) != 0)
        return 0;
    if (sigismember(&pending, SIGTERM) == 1)
        return SIGTERM;
    if (sigismember(&pending, SIGINT) == 1)
        return SIGINT;
    return 0;
}

int stopwait_sleep_ms(long ms)
{
    long deadline = clock_ms() + ms;
    for (;;) {
        int sig = stopwait_pending();
        long left = deadline - clock_ms();
        if (sig || left <= 0)
            return sig;
        sleep_ms(left < SLICE_MS ? left : SLICE_MS);
    }
}
