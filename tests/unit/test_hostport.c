/* test_hostport.c - IPv6 brackets: writing and reading "host:port". */
#include "unit.h"

#include "util/hostport.h"

#include <string.h>

TEST(hostport_bracket_and_join)
{
    char b[64];
    CHECK_INT(host_bracket("fd00::1", 7, b, sizeof b), 0);
    CHECK_STR(b, "[fd00::1]");
    CHECK_INT(host_bracket("[fd00::1]", 9, b, sizeof b), 0);
    CHECK_STR(b, "[fd00::1]");
    CHECK_INT(host_bracket("zk1.example", 3, b, sizeof b), 0);
    CHECK_STR(b, "zk1");
    CHECK_INT(hostport_join("10.0.0.5", 2181, b, sizeof b), 0);
    CHECK_STR(b, "10.0.0.5:2181");
    CHECK_INT(hostport_join("::1", 2181, b, sizeof b), 0);
    CHECK_STR(b, "[::1]:2181");
    CHECK_INT(hostport_join("::1", 2181, b, 10), -1);
    CHECK_INT(hostport_join("::1", 2181, b, 11), 0);
    CHECK_INT(host_unbracket("[::1]", 5, b, sizeof b), 0);
    CHECK_STR(b, "::1");
    CHECK_INT(host_unbracket("[::1", 4, b, sizeof b), 0);
    CHECK_STR(b, "[::1");
    CHECK_INT(host_unbracket("zk1", 3, b, 3), -1);
}

static int split(const char *s, enum hostport_form f, char *host, char *port)
{
    const char *p;
    size_t pl;
    int rc = hostport_split(s, strlen(s), f, host, 64, &p, &pl);
    snprintf(port, 16, "%.*s", (int)pl, p ? p : "");
    if (rc == 0 && !p)
        snprintf(port, 16, "-");
    return rc;
}

TEST(hostport_split_forms)
{
    static const struct {
        const char *in;
        enum hostport_form form;
        int rc;
        const char *host, *port; /* port "-": none */
    } cases[] = {
        {"10.0.0.5:2181", HOSTPORT_PORT_OPTIONAL, 0, "10.0.0.5", "2181"},
        {"[fd00::1]:2182", HOSTPORT_PORT_OPTIONAL, 0, "fd00::1", "2182"},
        {"[fd00::1]", HOSTPORT_PORT_OPTIONAL, 0, "fd00::1", "-"},
        {"fd00::1", HOSTPORT_PORT_OPTIONAL, 0, "fd00::1", "-"},
        {"zk1", HOSTPORT_PORT_OPTIONAL, 0, "zk1", "-"},
        {"fd00::1:2181", HOSTPORT_PORT_REQUIRED, 0, "fd00::1", "2181"},
        {"[fd00::1]:2181", HOSTPORT_PORT_REQUIRED, 0, "fd00::1", "2181"},
        {"zk1", HOSTPORT_PORT_REQUIRED, -1, NULL, NULL},
        {"[fd00::1]", HOSTPORT_PORT_REQUIRED, -1, NULL, NULL},
        {"[fd00::1", HOSTPORT_PORT_OPTIONAL, -1, NULL, NULL},
        {"[fd00::1]x", HOSTPORT_PORT_OPTIONAL, -1, NULL, NULL},
        {":2181", HOSTPORT_PORT_OPTIONAL, -1, NULL, NULL},
        {"[]:2181", HOSTPORT_PORT_OPTIONAL, -1, NULL, NULL},
        {"", HOSTPORT_PORT_OPTIONAL, -1, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char h[64], p[16];
        CHECK_INT(split(cases[i].in, cases[i].form, h, p), cases[i].rc);
        if (cases[i].rc == 0) {
            CHECK_STR(h, cases[i].host);
            CHECK_STR(p, cases[i].port);
        }
    }
}
