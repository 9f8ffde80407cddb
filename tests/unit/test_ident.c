/* test_ident.c - identity order and the myid file rules (no etcd: ETCD_ENDPOINTS unset). */
#include "unit.h"

#include "etcd/ident_reg.h"
#include "util/atomicfile.h"
#include "util/exitcodes.h"
#include "zookeeper/ident.h"

#include <stdio.h>

#include <stdlib.h>
#include <unistd.h>

TEST(ident_hostname_ordinals)
{
    int id = 0;
    CHECK_INT(ident_hostname_ordinal("zk-0", &id), 0);
    CHECK_INT(id, 1);
    CHECK_INT(ident_hostname_ordinal("my-zk-set-4", &id), 0);
    CHECK_INT(id, 5);
    CHECK_INT(ident_hostname_ordinal("zk-254", &id), 0);
    CHECK_INT(id, 255);
    CHECK_INT(ident_hostname_ordinal("zk-255", &id), -1);
    CHECK_INT(ident_hostname_ordinal("zk", &id), -1);
    CHECK_INT(ident_hostname_ordinal("zk-", &id), -1);
    CHECK_INT(ident_hostname_ordinal("zk-a", &id), -1);
    CHECK_INT(ident_hostname_ordinal("zk-1.5", &id), -1);
    CHECK_INT(ident_hostname_ordinal("-1", &id), -1);
    CHECK_INT(ident_hostname_ordinal("zk-1x", &id), -1);
}

TEST(ident_myid_content)
{
    int id = 0;
    CHECK_INT(ident_parse_myid("3\n", &id), 0);
    CHECK_INT(id, 3);
    CHECK_INT(ident_parse_myid(" 255 \r\n", &id), 0);
    CHECK_INT(id, 255);
    CHECK_INT(ident_parse_myid("0", &id), -1);
    CHECK_INT(ident_parse_myid("256", &id), -1);
    CHECK_INT(ident_parse_myid("", &id), -1);
    CHECK_INT(ident_parse_myid("1 2", &id), -1);
    CHECK_INT(ident_parse_myid("x", &id), -1);
}

static void clean_env(void)
{
    const char *vars[] = {"MYID", "ZOO_MY_ID", "ETCD_ENDPOINTS", "ETCDCTL_ENDPOINTS",
                          "ZOO_ID_FROM_HOSTNAME"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
    setenv("HOST_IP", "10.99.0.9", 1);
}

TEST(ident_order_and_bad_values)
{
    struct identity me;
    clean_env();
    CHECK_INT(ident_resolve(NULL, &me), 0);
    CHECK_INT(me.id, 1);
    CHECK_STR(me.source, "default");
    CHECK_STR(me.address, "10.99.0.9");
    setenv("ZOO_MY_ID", "7", 1);
    CHECK_INT(ident_resolve(NULL, &me), 0);
    CHECK_INT(me.id, 7);
    CHECK_STR(me.source, "ZOO_MY_ID");
    setenv("MYID", "9", 1);
    CHECK_INT(ident_resolve(NULL, &me), 0);
    CHECK_INT(me.id, 9);
    CHECK_STR(me.source, "MYID");
    const char *bad[] = {"0", "256", "-1", "abc", "1x", "", " ", "12345678901234567890", "+3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("MYID", bad[i], 1);
        CHECK_INT(ident_resolve(NULL, &me), EXIT_USAGE);
    }
    clean_env();
    setenv("ZOO_MY_ID", "abc", 1);
    CHECK_INT(ident_resolve(NULL, &me), EXIT_USAGE);
    clean_env();
    setenv("HOST_IP", "300.1.1.1", 1);
    CHECK_INT(ident_resolve(NULL, &me), EXIT_USAGE);
    clean_env();
    setenv("ZOO_ID_FROM_HOSTNAME", "maybe", 1);
    CHECK_INT(ident_resolve(NULL, &me), EXIT_USAGE);
    clean_env();
    setenv("ETCD_ENDPOINTS", "etcd1:2379", 1);
    CHECK_INT(ident_resolve(NULL, &me), EXIT_USAGE);
    clean_env();
}

TEST(ident_myid_file_rules)
{
    char dir[] = "/tmp/zkinit-ident-XXXXXX", path[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/myid", dir);
    struct identity me;
    clean_env();
    CHECK_INT(atomic_write_file(path, "4\n", 2, 0644), 0);
    CHECK_INT(ident_resolve(dir, &me), 0); /* reused when nothing else names an id */
    CHECK_INT(me.id, 4);
    CHECK_STR(me.source, "myid-file");
    setenv("MYID", "4", 1);
    CHECK_INT(ident_resolve(dir, &me), 0); /* agrees */
    CHECK_STR(me.source, "MYID");
    setenv("MYID", "5", 1);
    CHECK_INT(ident_resolve(dir, &me), EXIT_CONFIG); /* disagrees */
    unsetenv("MYID");
    CHECK_INT(atomic_write_file(path, "x\n", 2, 0644), 0);
    CHECK_INT(ident_resolve(dir, &me), EXIT_CONFIG); /* bad file */
    unlink(path);
    CHECK_INT(ident_resolve(dir, &me), 0);
    CHECK_STR(me.source, "default");
    rmdir(dir);
}

TEST(ident_registry_keys)
{
    char k[IDENT_KEY_MAX], a[IDENT_KEY_MAX];
    int port = -1;
    CHECK_INT(ident_reg_key(NULL, "10.0.0.1", 2181, k, sizeof k), 0);
    CHECK_STR(k, "10.0.0.1");
    CHECK_INT(ident_reg_key("", "10.0.0.1", 2182, k, sizeof k), 0);
    CHECK_STR(k, "10.0.0.1:2182");
    CHECK_INT(ident_reg_key(NULL, "fd00::1", 2182, k, sizeof k), 0);
    CHECK_STR(k, "[fd00::1]:2182");
    CHECK_INT(ident_reg_key("zk-0", "fd00::1", 2182, k, sizeof k), 0);
    CHECK_STR(k, "zk-0");
    CHECK_INT(ident_key_address("[FD00::1]:2182", a, sizeof a, &port), 0);
    CHECK_STR(a, "fd00::1");
    CHECK_INT(port, 2182);
    CHECK_INT(ident_key_address("FD00:0::1", a, sizeof a, &port), 0);
    CHECK_STR(a, "fd00::1");
    CHECK_INT(port, 0);
    CHECK_INT(ident_key_address("10.0.0.1:2182", a, sizeof a, &port), 0);
    CHECK_INT(port, 2182);
    CHECK_INT(ident_key_address("zk-0", a, sizeof a, &port), -1);
    CHECK_INT(ident_key_address("10.0.0.1:0", a, sizeof a, &port), -1);
    CHECK_INT(ident_key_address("[fd00::1]", a, sizeof a, &port), -1);
    ident_key_canonical("FD00::1", k, sizeof k);
    CHECK_STR(k, "fd00::1");
    ident_key_canonical("10.0.0.1:2181", k, sizeof k);
    CHECK_STR(k, "10.0.0.1");
    ident_key_canonical("Zk-A", k, sizeof k);
    CHECK_STR(k, "Zk-A");
    CHECK(ident_name_ok("zk-0"));
    CHECK(ident_name_ok("zk1.example.com"));
    CHECK(!ident_name_ok("10.0.0.1"));
    CHECK(!ident_name_ok("-zk"));
    CHECK(!ident_name_ok("a/b"));
    CHECK(!ident_name_ok("zk:1"));
    CHECK(!ident_name_ok(""));
    CHECK(ident_hostname_is_random("0123456789ab"));
    CHECK(ident_hostname_is_random(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    CHECK(!ident_hostname_is_random("zookeeper-01"));
    CHECK(!ident_hostname_is_random("0123456789a"));
}

static struct ident_registry reg;

static void add(const char *key, const char *value, long long rev)
{
    ident_reg_add(key, value, rev, &reg);
}

TEST(ident_registry_state)
{
    ident_reg_init(&reg, "/z", 100000);
    add("/z/nodes/10.0.0.1/id", "1", 0); /* legacy: no claim */
    add("/z/ids/2", "FD00::2", 0);       /* claim, spelled differently */
    add("/z/nodes/fd00::2/id", "2", 0);
    add("/z/ids/3", "zk-c", 0); /* claimed, not registered yet */
    add("/z/nodes/zk-d/address", "10.0.0.4", 0);
    add("/z/nodes/zk-d/id", "4", 0);
    add("/z/nodes/10.0.0.9/id", "nine", 0);
    add("/z/other/thing", "x", 0);
    add("/y/ids/5", "10.0.0.5", 0); /* another prefix */
    CHECK_INT(reg.nregs, 4);
    CHECK(ident_reg_taken(&reg, 1));
    CHECK(ident_reg_taken(&reg, 2));
    CHECK(ident_reg_taken(&reg, 3));
    CHECK(ident_reg_taken(&reg, 4));
    CHECK(!ident_reg_taken(&reg, 5));
    CHECK_INT(ident_reg_pick(&reg, 0), 5);
    CHECK_INT(ident_reg_pick(&reg, 2), 7);
    CHECK_INT(ident_reg_claimed_by(&reg, "fd00::2"), 2);
    CHECK_INT(ident_reg_claimed_by(&reg, "zk-c"), 3);
    const struct ident_reg_entry *e = ident_reg_find(&reg, "zk-d");
    CHECK(e != NULL);
    CHECK_STR(e->address, "10.0.0.4");
    CHECK_INT(e->id, 4);
    e = ident_reg_find(&reg, "10.0.0.9");
    CHECK(e != NULL);
    CHECK_INT(e->id, -1);
    CHECK_STR(e->bad_value, "nine");
    CHECK(ident_reg_with_id(&reg, 2, NULL) != NULL);
    CHECK(ident_reg_with_id(&reg, 2, "fd00::2") == NULL);
    /* ranks: by revision among the starts still waiting */
    add("/z/pending/b", "10.0.0.12", 12);
    add("/z/pending/a", "10.0.0.11", 11);
    add("/z/pending/c", "zk-c", 10); /* claimed already: does not count */
    add("/z/pending/d", "10.0.0.13", 13);
    add("/z/pending/00017", "10.0.0.11", 17); /* a second ticket: the first counts */
    CHECK_INT(ident_reg_rank(&reg, "10.0.0.11"), 0);
    CHECK_INT(ident_reg_rank(&reg, "10.0.0.12"), 1);
    CHECK_INT(ident_reg_rank(&reg, "10.0.0.13"), 2);
    CHECK_INT(ident_reg_rank(&reg, "10.0.0.14"), -1);
    /* stale tickets (a start that died more than 30 s ago) do not count */
    add("/z/pending/10.0.0.10", "10.0.0.10 1000", 1); /* born at 1 s, read at 100 s */
    add("/z/pending/10.0.0.15", "10.0.0.15 99000", 14);
    CHECK_INT(ident_reg_rank(&reg, "10.0.0.10"), -1);
    CHECK_INT(ident_reg_rank(&reg, "10.0.0.15"), 3);
    /* a new round forgets claims and tickets, keeps registrations (the older layout's) */
    ident_reg_forget_claims(&reg, 100000);
    CHECK_INT(reg.npending, 0);
    CHECK(ident_reg_taken(&reg, 1));
    CHECK(!ident_reg_taken(&reg, 3));
    add("/z/ids/3", "zk-c", 0);
    /* past the free ids: the largest free one; none: 0 */
    for (int n = 5; n <= 254; n++) {
        char k[32];
        snprintf(k, sizeof k, "/z/ids/%d", n);
        add(k, "x", 0);
    }
    CHECK_INT(ident_reg_pick(&reg, 3), 255);
    add("/z/ids/255", "x", 0);
    CHECK_INT(ident_reg_pick(&reg, 0), 0);
}
