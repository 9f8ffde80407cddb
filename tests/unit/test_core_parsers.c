/* Unit tests of the core's parsers: numbers, durations, booleans, signal names, rewrite maps. */
#include "core/sigmap.h"
#include "unit.h"
#include "util/parse.h"

#include <signal.h>

TEST(parse_long_accepts_only_whole_numbers_in_range)
{
    long v = -7;
    CHECK(parse_long("0", 0, 10, &v) == 0 && v == 0);
    CHECK(parse_long("255", 1, 255, &v) == 0 && v == 255);
    CHECK(parse_long("-1", -5, 5, &v) == 0 && v == -1);
    const char *bad[] = {"",    " 1", "1 ", "+1", "1x", "abc", "-", "256", "99999999999999999999",
                         "0x10"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(parse_long(bad[i], 0, 255, &v) == -1);
    CHECK(parse_long("-1", 0, 255, &v) == -1);
    CHECK(parse_long(NULL, 0, 255, &v) == -1);
}

TEST(parse_seconds_gives_milliseconds)
{
    long ms = 0;
    CHECK(parse_seconds_ms("10", &ms) == 0 && ms == 10000);
    CHECK(parse_seconds_ms("2.5", &ms) == 0 && ms == 2500);
    CHECK(parse_seconds_ms("0.25", &ms) == 0 && ms == 250);
    CHECK(parse_seconds_ms("0.001", &ms) == 0 && ms == 1);
    CHECK(parse_seconds_ms("0", &ms) == 0 && ms == 0);
    CHECK(parse_seconds_ms("86400", &ms) == 0 && ms == 86400000L);
    const char *bad[] = {"", "-1", "1.", ".5", "1.0001", "abc", "10s", "86401", "1e3", " 1"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(parse_seconds_ms(bad[i], &ms) == -1);
}

TEST(parse_bool_words)
{
    CHECK_INT(parse_bool("on"), 1);
    CHECK_INT(parse_bool("TRUE"), 1);
    CHECK_INT(parse_bool("1"), 1);
    CHECK_INT(parse_bool("yes"), 1);
    CHECK_INT(parse_bool("off"), 0);
    CHECK_INT(parse_bool("No"), 0);
    CHECK_INT(parse_bool("0"), 0);
    CHECK_INT(parse_bool("maybe"), -1);
    CHECK_INT(parse_bool(""), -1);
}

TEST(signal_names_and_numbers)
{
    CHECK_INT(sig_from_name("TERM"), SIGTERM);
    CHECK_INT(sig_from_name("SIGTERM"), SIGTERM);
    CHECK_INT(sig_from_name("sigterm"), SIGTERM);
    CHECK_INT(sig_from_name("15"), 15);
    CHECK_INT(sig_from_name("HUP"), SIGHUP);
    CHECK_INT(sig_from_name("USR2"), SIGUSR2);
    CHECK_INT(sig_from_name("IOT"), SIGABRT);
    CHECK_INT(sig_from_name("RTMIN"), 34);
    CHECK_INT(sig_from_name("RTMAX"), 64);
    CHECK_INT(sig_from_name("SIGRTMIN+2"), SIG_RTMIN + 2);
    CHECK_INT(sig_from_name("RTMAX-1"), SIG_RTMAX - 1);
    CHECK_INT(sig_from_name("RTMAX"), SIG_RTMAX);
    const char *bad[] = {"",        "0",       "65",       "FOO",   "SIG",
                         "RTMIN-1", "RTMAX+1", "RTMIN+99", "TERM ", "-15"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(sig_from_name(bad[i]), -1);
    char buf[16];
    CHECK_STR(sig_name(SIGTERM, buf, sizeof buf), "TERM");
    CHECK_STR(sig_name(SIG_RTMIN + 3, buf, sizeof buf), "RTMIN+3");
}

TEST(rewrite_maps)
{
    struct sigmap m;
    char err[128];
    sigmap_init(&m);
    CHECK_INT(m.to[SIGTERM], SIGTERM);
    CHECK(sigmap_parse(&m, "TERM:INT", err, sizeof err) == 0);
    CHECK_INT(m.to[SIGTERM], SIGINT);
    CHECK(sigmap_parse(&m, "HUP:0,USR1:SIGUSR2", err, sizeof err) == 0);
    CHECK_INT(m.to[SIGHUP], 0);
    CHECK_INT(m.to[SIGUSR1], SIGUSR2);
    CHECK(sigmap_parse(&m, "15:9", err, sizeof err) == 0);
    CHECK_INT(m.to[SIGTERM], SIGKILL);
    CHECK_INT(m.to[SIGINT], SIGINT);
    const char *bad[] = {"TERM",      "TERM:",     ":INT", "FOO:INT", "TERM:FOO",    "KILL:TERM",
                         "STOP:TERM", "CHLD:TERM", "",     ",",       "TERM:INT,BAD"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(sigmap_parse(&m, bad[i], err, sizeof err) == -1);
}
