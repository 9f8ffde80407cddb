/* test_supervise.c - the supervisor's pure decisions: exit code, option order, inherited fds. */
#include "unit.h"

#include "core/fds.h"
#include "core/opts.h"
#include "core/supervise.h"
#include "util/exitcodes.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static int exit_code(int exited, int status, int escalated, int internal)
{
    static unsigned char success[256];
    success[143] = 1;
    struct sup_outcome o = {exited, status, escalated, internal, success};
    return supervise_exit_code(&o);
}

TEST(exit_code_from_the_commands_status)
{
    CHECK_INT(exit_code(1, 0, 0, 0), 0);
    CHECK_INT(exit_code(1, 7 << 8, 0, 0), 7);
    CHECK_INT(exit_code(1, SIGKILL, 1, 0), 137); /* killed by our SIGKILL */
    CHECK_INT(exit_code(1, SIGTERM, 0, 0), 0);   /* 143 is a --success-exit code here */
    CHECK_INT(exit_code(1, SIGHUP, 0, 0), 129);
    CHECK_INT(exit_code(1, 3 << 8, 1, 0), 3); /* exited on its own during the escalation */
}

TEST(exit_code_never_0_from_an_unread_status)
{
    CHECK_INT(exit_code(0, 0, 1, 0), 137);           /* survived SIGKILL (D state): gave up */
    CHECK_INT(exit_code(0, 0, 0, 1), EXIT_INTERNAL); /* poll failed */
    CHECK_INT(exit_code(0, 0, 0, 0), EXIT_INTERNAL);
    CHECK_INT(exit_code(1, 0, 0, 1), EXIT_INTERNAL); /* the orphans were not waited for */
    struct sup_outcome o = {0, 0, 1, 0, NULL};
    CHECK_INT(supervise_exit_code(&o), 137);
}

static long stop_timeout_of(char **argv, int argc)
{
    struct supervise_cfg cfg;
    CHECK_INT(opts_parse_generic(argc, argv, &cfg), -1);
    CHECK(cfg.stop.run != NULL);
    return cfg.stop.timeout_ms;
}

TEST(hook_timeout_applies_in_either_order)
{
    char *a[] = {"zkinit", "--hook-timeout", "0", "--on-stop", "x", "--", "true", NULL};
    char *b[] = {"zkinit", "--on-stop", "x", "--hook-timeout", "0", "--", "true", NULL};
    char *c[] = {"zkinit", "--on-stop", "x", "--", "true", NULL};
    char *d[] = {"zkinit", "--on-start", "x", "--hook-timeout", "1.5", "--on-stop",
                 "y",      "true",       NULL};
    unsetenv("ZKINIT_HOOK_TIMEOUT");
    unsetenv("ZKINIT_ON_STOP");
    unsetenv("ZKINIT_ON_START");
    CHECK_INT(stop_timeout_of(a, 7), 0);
    CHECK_INT(stop_timeout_of(b, 7), 0);
    CHECK_INT(stop_timeout_of(c, 5), 5000);
    struct supervise_cfg cfg;
    CHECK_INT(opts_parse_generic(8, d, &cfg), -1);
    CHECK_INT(cfg.start.timeout_ms, 1500);
    CHECK_INT(cfg.stop.timeout_ms, 1500);
}

TEST(listen_fds_count_only_for_us)
{
    CHECK_INT(fds_listen_count("2", NULL, 10), 2);
    CHECK_INT(fds_listen_count("2", "", 10), 2);
    CHECK_INT(fds_listen_count("3", "10", 10), 3);
    CHECK_INT(fds_listen_count("3", "11", 10), 0); /* another process's */
    CHECK_INT(fds_listen_count(NULL, "10", 10), 0);
    CHECK_INT(fds_listen_count("0", NULL, 10), 0);
    CHECK_INT(fds_listen_count("x", NULL, 10), 0);
    CHECK_INT(fds_listen_count("-1", NULL, 10), 0);
    CHECK_INT(fds_listen_count("2", "pid", 10), 0);
    CHECK_INT(fds_listen_count("100000", NULL, 10), 0);
}
