/* test_ident.c - identity order and the myid file rules (no etcd: ETCD_ENDPOINTS unset). */
#include "unit.h"

#include "atomicfile.h"
#include "exitcodes.h"
#include "ident.h"

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
