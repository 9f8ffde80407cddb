/* test_addr.c - address literals and HOST_IP validation. */
#include "unit.h"

#include "addr.h"
#include "exitcodes.h"

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
