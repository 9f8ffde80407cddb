/* test_addr.c - address literals and HOST_IP validation. */
#include "unit.h"

#include "util/addr.h"
#include "util/exitcodes.h"

#include <stdlib.h>

TEST(addr_literals)
{
    CHECK(addr_is_literal("10.0.0.5"));
    CHECK(addr_is_literal("127.0.1.3"));
    CHECK(addr_is_literal("::1"));
    CHECK(addr_is_literal("fd00::1:2"));
    CHECK(!addr_is_literal("300.1.1.1"));
    CHECK(!addr_is_literal("1.2.3"));
    CHECK(!addr_is_literal("1.2.3.4 "));
    CHECK(!addr_is_literal("zk1"));
    CHECK(!addr_is_literal("[::1]"));
    CHECK(!addr_is_literal(""));
    CHECK(!addr_is_literal(NULL));
}

TEST(addr_detect_host_ip)
{
    char a[64];
    setenv("HOST_IP", "10.99.0.7", 1);
    CHECK_INT(addr_detect(a, sizeof a), 0);
    CHECK_STR(a, "10.99.0.7");
    setenv("HOST_IP", "300.1.1.1", 1);
    CHECK_INT(addr_detect(a, sizeof a), EXIT_USAGE);
    setenv("HOST_IP", "", 1);
    CHECK_INT(addr_detect(a, sizeof a), EXIT_USAGE);
    unsetenv("HOST_IP");
    CHECK_INT(addr_detect(a, sizeof a), 0);
    CHECK(addr_is_literal(a));
}

TEST(addr_canonical_forms)
{
    char a[64];
    CHECK_INT(addr_canonical("FD00::1", a, sizeof a), 0);
    CHECK_STR(a, "fd00::1");
    CHECK_INT(addr_canonical("fd00:0:0:0:0:0:0:1", a, sizeof a), 0);
    CHECK_STR(a, "fd00::1");
    CHECK_INT(addr_canonical("10.0.0.5", a, sizeof a), 0);
    CHECK_STR(a, "10.0.0.5");
    CHECK_INT(addr_canonical("::FFFF:10.0.0.5", a, sizeof a), 0);
    CHECK_STR(a, "::ffff:10.0.0.5");
    CHECK_INT(addr_canonical("010.0.0.5", a, sizeof a), -1); /* musl/glibc: no octal forms */
    CHECK_INT(addr_canonical("[::1]", a, sizeof a), -1);
    CHECK_INT(addr_canonical("zk1", a, sizeof a), -1);
    CHECK_INT(addr_canonical("fd00::1", a, 4), -1);
    setenv("HOST_IP", "FD00:0::1", 1);
    CHECK_INT(addr_detect(a, sizeof a), 0);
    CHECK_STR(a, "fd00::1");
    unsetenv("HOST_IP");
}
