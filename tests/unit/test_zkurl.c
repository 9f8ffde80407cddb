/* test_zkurl.c - the zk:// URL parser. */
#include "unit.h"

/* Hides buffer sizes from -Wformat-truncation in CHECK_STR's message. */
__attribute__((noipa)) static const char *opaque(const char *s)
{
    return s;
}
#define CHECK_S(a, b) CHECK_STR(opaque(a), b)
#include "mesos/zkurl.h"

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
        "zk://[]:1/mesos",
        "zk://[::1]x/mesos",
        "zk://fd00::1:2181/mesos",
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
    CHECK_INT(zkurl_hosts("[fd00::1],b", out, sizeof out, &why), 0);
    CHECK_S(out, "[fd00::1]:2181,b:2181");
    CHECK_INT(zkurl_hosts("fd00::1", out, sizeof out, &why), -1);
    CHECK_S(why, "an IPv6 host needs the form [addr]:port");
    CHECK_INT(zkurl_hosts("a,b", out, 8, &why), -1);
    CHECK_INT(zkurl_format("u:p", "a:1", "/mesos", out, sizeof out), 0);
    CHECK_S(out, "zk://u:p@a:1/mesos");
    CHECK_INT(zkurl_format("", "a:1", "/marathon", out, sizeof out), 0);
    CHECK_S(out, "zk://a:1/marathon");
    CHECK_INT(zkurl_format("", "a:1", "/marathon", out, 10), -1);
}

/* As Mesos's zookeeper::URL::parse: trimmed, credentials up to the last '@' before the path. */
TEST(zkurl_reads_what_mesos_reads)
{
    struct zkurl u;
    const char *why = NULL;
    CHECK_INT(zkurl_parse(" \tzk://h:2181/mesos \r\n", &u, &why), 0);
    CHECK_S(u.hosts, "h:2181");
    CHECK_S(u.path, "/mesos");
    CHECK_INT(zkurl_parse("zk://mesos:p@ss@w0rd@h1:2181,h2/mesos", &u, &why), 0);
    CHECK_S(u.auth, "mesos:p@ss@w0rd");
    CHECK_S(u.hosts, "h1:2181,h2:2181");
}

TEST(zkurl_mask_hides_the_password)
{
    char out[256];
    CHECK_INT(zkurl_mask("zk://mesos:p@ss@h1:2181/mesos", out, sizeof out), 0);
    CHECK_S(out, "zk://mesos:***@h1:2181/mesos");
    CHECK_INT(zkurl_mask("zk://h1/mesos", out, sizeof out), 0);
    CHECK_S(out, "zk://h1:2181/mesos");
    CHECK_INT(zkurl_mask("zk://u:secret@h1:99999/mesos", out, sizeof out), -1);
    CHECK(strstr(out, "secret") == NULL);
}
