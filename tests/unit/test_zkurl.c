/* test_zkurl.c - the zk:// URL parser. */
#include "unit.h"

/* Hides buffer sizes from -Wformat-truncation in CHECK_STR's message. */
__attribute__((noipa)) static const char *opaque(const char *s)
{
    return s;
}
#define CHECK_S(a, b) CHECK_STR(opaque(a), b)
#include "zkurl.h"

TEST(zkurl_plain)
{
    struct zkurl u;
    const char *why = NULL;
    CHECK_INT(zkurl_parse("zk://zk1:2181,zk2:2182/mesos", &u, &why), 0);
    CHECK_S(u.hosts, "zk1:2181,zk2:2182");
    CHECK_S(u.path, "/mesos");
    CHECK_S(u.auth, "");
}

TEST(zkurl_auth_default_port_and_nested_path)
{
    struct zkurl u;
    const char *why = NULL;
    CHECK_INT(zkurl_parse("zk://jdoe:s3cr:et@10.0.0.1,[::1]:2190/a/b/", &u, &why), 0);
    CHECK_S(u.auth, "jdoe:s3cr:et");
    CHECK_S(u.hosts, "10.0.0.1:2181,[::1]:2190");
    CHECK_S(u.path, "/a/b");
}

TEST(zkurl_rejects_malformed)
{
    static const char *const bad[] = {
        "",
        "http://h:2181/mesos",
        "zk://h:2181",
        "zk://h:2181/",
        "zk:///mesos",
        "zk://h:0/mesos",
        "zk://h:65536/mesos",
        "zk://h:21x/mesos",
        "zk://,h:1/mesos",
        "zk://h:1,/mesos",
        "zk://h h:1/mesos",
        "zk://@h:1/mesos",
        "zk://user@h:1/mesos",
        "zk://h:1/me sos",
        "zk://h:1//mesos",
        "zk://[::1/mesos",
        "zk://[zz]:1/mesos",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct zkurl u;
        const char *why = NULL;
        int rc = zkurl_parse(bad[i], &u, &why);
        if (rc != -1 || !why)
            printf("accepted: %s\n", bad[i]);
        CHECK_INT(rc, -1);
    }
}

TEST(zkurl_hosts_and_format)
{
    char out[128];
    const char *why = NULL;
    CHECK_INT(zkurl_hosts("a,b:2182", out, sizeof out, &why), 0);
    CHECK_S(out, "a:2181,b:2182");
    CHECK_INT(zkurl_hosts("a:", out, sizeof out, &why), -1);
    CHECK_INT(zkurl_hosts("a,b", out, 8, &why), -1);
    CHECK_INT(zkurl_format("u:p", "a:1", "/mesos", out, sizeof out), 0);
    CHECK_S(out, "zk://u:p@a:1/mesos");
    CHECK_INT(zkurl_format("", "a:1", "/marathon", out, sizeof out), 0);
    CHECK_S(out, "zk://a:1/marathon");
    CHECK_INT(zkurl_format("", "a:1", "/marathon", out, 10), -1);
}
