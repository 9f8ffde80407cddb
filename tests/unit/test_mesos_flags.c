/* test_mesos_flags.c - settings merging for the Mesos and Marathon roles: names, file values,
 * ZOO_SERVERS, quorum, precedence, and the packaging files in a temporary ZKINIT_SYSCONFDIR. */
#include "mesos/mesos_files.h"
#include "mesos/mesos_flags.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Hides buffer sizes from -Wformat-truncation in CHECK_STR's message. */
__attribute__((noipa)) static const char *opaque(const char *s)
{
    return s;
}
#define CHECK_S(a, b) CHECK_STR(opaque(a), b)

TEST(flags_env_names)
{
    char out[64];
    CHECK_INT(flag_env_name("MESOS_", "work-dir", out, sizeof out), 0);
    CHECK_S(out, "MESOS_WORK_DIR");
    CHECK_INT(flag_env_name("MARATHON_", "http_port", out, sizeof out), 0);
    CHECK_S(out, "MARATHON_HTTP_PORT");
    CHECK_INT(flag_env_name("MESOS_", "a.b", out, sizeof out), -1);
    CHECK_INT(flag_env_name("MESOS_", "a b", out, sizeof out), -1);
    CHECK_INT(flag_env_name("MESOS_", "", out, sizeof out), -1);
    CHECK_INT(flag_env_name("MESOS_", "abcdefghij", out, 12), -1);
}

TEST(flags_file_values)
{
    char a[] = "zk://h:2181/mesos\n", b[] = "x\r\n", c[] = "a\nb", d[] = "a\n\n", e[] = "";
    char f[] = "a\0b";
    const char *why = NULL;
    CHECK_INT(flag_file_value(a, strlen(a), 0, &why), 0);
    CHECK_S(a, "zk://h:2181/mesos");
    CHECK_INT(flag_file_value(b, strlen(b), 0, &why), 0);
    CHECK_S(b, "x");
    CHECK_INT(flag_file_value(c, strlen(c), 0, &why), -1);
    CHECK_INT(flag_file_value(d, strlen(d), 0, &why), 0); /* a trailing blank line (vim, emacs) */
    CHECK_S(d, "a");
    CHECK_INT(flag_file_value(e, 0, 0, &why), 0);
    CHECK_INT(flag_file_value(f, 3, 0, &why), -1);
}

/* Issue 13, defects 2 and 3: blanks around a value, CRLF and trailing blank lines. */
TEST(flags_file_values_trimmed_and_joined)
{
    char port[] = "5051 \n", dir[] = "/var/lib/mesos\t", zk[] = "zk://a:2181/mesos\r\n\r\n";
    char roles[] = "a\n b \n\nc\n", attrs[] = "rack:r1\r\nzone:z\r\n", one[] = "x\n\ny";
    const char *why = NULL;
    CHECK_INT(flag_file_value(port, strlen(port), 0, &why), 0);
    CHECK_S(port, "5051");
    CHECK_INT(flag_file_value(dir, strlen(dir), 0, &why), 0);
    CHECK_S(dir, "/var/lib/mesos");
    CHECK_INT(flag_file_value(zk, strlen(zk), 0, &why), 0);
    CHECK_S(zk, "zk://a:2181/mesos");
    CHECK_INT(flag_file_value(roles, strlen(roles), ',', &why), 0);
    CHECK_S(roles, "a,b,c");
    CHECK_INT(flag_file_value(attrs, strlen(attrs), ';', &why), 0);
    CHECK_S(attrs, "rack:r1;zone:z");
    CHECK_INT(flag_file_value(one, strlen(one), 0, &why), -1);
    CHECK_S(why, "the value has more than one line");
}

TEST(flags_quorum_is_majority)
{
    CHECK_INT(mesos_quorum(1), 1);
    CHECK_INT(mesos_quorum(2), 2);
    CHECK_INT(mesos_quorum(3), 2);
    CHECK_INT(mesos_quorum(5), 3);
    CHECK_INT(mesos_quorum(6), 4);
}

TEST(flags_zoo_servers)
{
    char out[256], err[128];
    CHECK_INT(
        mesos_hosts_from_zoo_servers("server.1=zk1:2888:3888;2181 server.2=zk2:2888:3888;2182",
                                     2181, out, sizeof out, err, sizeof err),
        0);
    CHECK_S(out, "zk1:2181,zk2:2182");
    CHECK_INT(mesos_hosts_from_zoo_servers(
                  "server.1=10.0.0.1:2888:3888:participant;10.1.0.1:2181 "
                  "server.2=10.0.0.2:2888:3888:observer;0.0.0.0:2190 server.3=zk3:2888:3888",
                  2199, out, sizeof out, err, sizeof err),
              0);
    CHECK_S(out, "10.1.0.1:2181,10.0.0.2:2190,zk3:2199");
    CHECK_INT(mesos_hosts_from_zoo_servers("zk1:2181", 2181, out, sizeof out, err, sizeof err), -1);
    CHECK_INT(mesos_hosts_from_zoo_servers("  ", 2181, out, sizeof out, err, sizeof err), -1);
}

TEST(flags_precedence)
{
    struct settings s = {0};
    CHECK_INT(settings_put(&s, "MESOS_X", "derived", SRC_DERIVED, "d"), 0);
    CHECK_S(settings_value(&s, "MESOS_X"), "derived");
    CHECK_INT(settings_put(&s, "MESOS_X", "file1", SRC_FILE, "f1"), 0);
    CHECK_INT(settings_put(&s, "MESOS_X", "file2", SRC_FILE, "f2"), 0); /* a later file wins */
    CHECK_S(settings_value(&s, "MESOS_X"), "file2");
    CHECK_INT(settings_put(&s, "MESOS_X", "env", SRC_ENV, "MESOS_X"), 0);
    CHECK_INT(settings_put(&s, "MESOS_X", "file3", SRC_FILE, "f3"), 0);
    CHECK_INT(settings_put(&s, "MESOS_X", "derived2", SRC_DERIVED, "d"), 0);
    CHECK_S(settings_value(&s, "MESOS_X"), "env");
    CHECK_INT(settings_find(&s, "MESOS_X")->src, SRC_ENV);
    CHECK(settings_value(&s, "MESOS_Y") == NULL);
    for (int i = 0; i < 40; i++) { /* growth */
        char name[32];
        snprintf(name, sizeof name, "MESOS_N%d", i);
        CHECK_INT(settings_put(&s, name, "v", SRC_FILE, "f"), 0);
    }
    CHECK_INT(s.n, 41);
    settings_free(&s);
}

/* ---- the packaging files, in a temporary directory ---- */

static char root[64];

static void put_file(const char *rel, const char *content)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fputs(content, f);
    fclose(f);
}

static void make_root(void)
{
    strcpy(root, "/tmp/zkinit-mesos-XXXXXX");
    CHECK(mkdtemp(root) != NULL);
}

static void remove_root(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK_INT(system(cmd), 0);
}

static const char *build(enum mesos_role role, char **envp, struct settings *s, int *rc)
{
    *rc = mesos_settings_build(role, envp, root, s);
    return NULL;
}

TEST(flags_master_files_env_derived)
{
    make_root();
    put_file("mesos/zk", "zk://f1:2181,f2:2181/mesos\n");
    put_file("mesos-master/quorum", "2\n");
    put_file("mesos-master/work-dir", "/data/mesos");
    put_file("mesos-master/?no-hostname_lookup", "");
    put_file("mesos-master/?log_auto_initialize", "");
    put_file("mesos-master/cluster", "prod\n");
    put_file("mesos-master/.hidden", "ignored");
    char *envp[] = {"MESOS_CLUSTER=from-env", "HOST_IP=10.0.0.5", "ZK_HOSTS=z1:2181",
                    "MESOS_MASTERS=5", NULL};
    struct settings s = {0};
    int rc;
    build(ROLE_MESOS_MASTER, envp, &s, &rc);
    CHECK_INT(rc, 0);
    CHECK_S(settings_value(&s, "MESOS_ZK"), "zk://f1:2181,f2:2181/mesos"); /* file > derived */
    CHECK_S(settings_value(&s, "MESOS_QUORUM"), "2");             /* file > MESOS_MASTERS */
    CHECK_S(settings_value(&s, "MESOS_WORK_DIR"), "/data/mesos"); /* file > default */
    CHECK_S(settings_value(&s, "MESOS_HOSTNAME_LOOKUP"), "false");
    CHECK_S(settings_value(&s, "MESOS_LOG_AUTO_INITIALIZE"), "true");
    CHECK_S(settings_value(&s, "MESOS_CLUSTER"), "from-env"); /* env > file */
    CHECK_S(settings_value(&s, "MESOS_IP"), "10.0.0.5");
    CHECK_S(settings_value(&s, "MESOS_HOSTNAME"), "10.0.0.5");
    CHECK_S(settings_value(&s, "MESOS_ADVERTISE_IP"), "10.0.0.5");
    CHECK(settings_value(&s, "MESOS_.HIDDEN") == NULL);
    CHECK_INT(settings_find(&s, "MESOS_ZK")->src, SRC_FILE);
    settings_free(&s);
    remove_root();
}

TEST(flags_master_derived_only)
{
    make_root();
    char *envp[] = {"ZOO_SERVERS=server.1=a:2888:3888;2181 server.2=b:2888:3888;2181",
                    "MESOS_MASTERS=3", NULL};
    struct settings s = {0};
    int rc;
    build(ROLE_MESOS_MASTER, envp, &s, &rc);
    CHECK_INT(rc, 0);
    CHECK_S(settings_value(&s, "MESOS_ZK"), "zk://a:2181,b:2181/mesos");
    CHECK_S(settings_value(&s, "MESOS_QUORUM"), "2");
    CHECK_S(settings_value(&s, "MESOS_WORK_DIR"), "/var/lib/mesos");
    CHECK(settings_value(&s, "MESOS_IP") == NULL);
    settings_free(&s);
    char *bad[] = {"MESOS_MASTERS=three", NULL};
    build(ROLE_MESOS_MASTER, bad, &s, &rc);
    CHECK_INT(rc, 64);
    settings_free(&s);
    char *bad_hosts[] = {"ZK_HOSTS=a:b", NULL};
    build(ROLE_MESOS_MASTER, bad_hosts, &s, &rc);
    CHECK_INT(rc, 64);
    settings_free(&s);
    char *bad_ip[] = {"HOST_IP=10.0.0", NULL};
    build(ROLE_MESOS_MASTER, bad_ip, &s, &rc);
    CHECK_INT(rc, 64);
    settings_free(&s);
    char *none[] = {NULL};
    build(ROLE_MESOS_MASTER, none, &s, &rc); /* standalone master: no zk, quorum 1 */
    CHECK_INT(rc, 0);
    CHECK(settings_value(&s, "MESOS_ZK") == NULL);
    CHECK_S(settings_value(&s, "MESOS_QUORUM"), "1");
    settings_free(&s);
    remove_root();
}

TEST(flags_agent_dirs_attributes_resources)
{
    make_root();
    put_file("mesos/zk", "zk://f1:2181/mesos\n");
    put_file("mesos-slave/attributes/rack", "r1\n");
    put_file("mesos-slave/attributes/zone", "z9");
    put_file("mesos-slave/resources/cpus", "4");
    put_file("mesos-slave/resources/mem", "1024\n");
    put_file("mesos-slave/containerizers", "docker,mesos");
    put_file("mesos-slave/port", "5052");
    put_file("mesos-agent/port", "5053"); /* mesos-agent/ wins over mesos-slave/ */
    put_file("mesos-agent/?no-systemd_enable_support", "");
    char *envp[] = {"ZK_HOSTS=z1", NULL};
    struct settings s = {0};
    int rc;
    build(ROLE_MESOS_AGENT, envp, &s, &rc);
    CHECK_INT(rc, 0);
    CHECK_S(settings_value(&s, "MESOS_MASTER"), "zk://f1:2181/mesos");
    CHECK_S(settings_value(&s, "MESOS_ATTRIBUTES"), "rack:r1;zone:z9");
    CHECK_S(settings_value(&s, "MESOS_RESOURCES"), "cpus:4;mem:1024");
    CHECK_S(settings_value(&s, "MESOS_CONTAINERIZERS"), "docker,mesos");
    CHECK_S(settings_value(&s, "MESOS_PORT"), "5053");
    CHECK_S(settings_value(&s, "MESOS_SYSTEMD_ENABLE_SUPPORT"), "false");
    CHECK_S(settings_value(&s, "MESOS_WORK_DIR"), "/var/lib/mesos");
    CHECK(settings_value(&s, "MESOS_QUORUM") == NULL);
    settings_free(&s);
    remove_root();
}

TEST(flags_marathon)
{
    make_root();
    put_file("mesos/zk", "zk://u:p@f1:2181,f2:2181/mesos\n");
    put_file("marathon/conf/?disable_ha", "");
    put_file("marathon/conf/http_port", "8081\n");
    char *envp[] = {"HOST_IP=10.0.0.7", "ZK_HOSTS=z1", NULL};
    struct settings s = {0};
    int rc;
    build(ROLE_MARATHON, envp, &s, &rc);
    CHECK_INT(rc, 0);
    CHECK_S(settings_value(&s, "MARATHON_MASTER"), "zk://u:p@f1:2181,f2:2181/mesos");
    CHECK_S(settings_value(&s, "MARATHON_ZK"), "zk://u:p@f1:2181,f2:2181/marathon");
    CHECK_S(settings_value(&s, "MARATHON_DISABLE_HA"), "");
    CHECK_S(settings_value(&s, "MARATHON_HTTP_PORT"), "8081");
    CHECK_S(settings_value(&s, "MARATHON_HOSTNAME"), "10.0.0.7");
    CHECK_S(settings_value(&s, "LIBPROCESS_IP"), "10.0.0.7");
    CHECK(settings_value(&s, "MESOS_WORK_DIR") == NULL);
    settings_free(&s);
    /* No files: both URLs from ZK_HOSTS. */
    remove_root();
    make_root();
    build(ROLE_MARATHON, envp, &s, &rc);
    CHECK_INT(rc, 0);
    CHECK_S(settings_value(&s, "MARATHON_MASTER"), "zk://z1:2181/mesos");
    CHECK_S(settings_value(&s, "MARATHON_ZK"), "zk://z1:2181/marathon");
    settings_free(&s);
    /* ?no-flag has no Marathon meaning. */
    put_file("marathon/conf/?no-ha", "");
    build(ROLE_MARATHON, envp, &s, &rc);
    CHECK_INT(rc, 65);
    settings_free(&s);
    remove_root();
}

TEST(flags_bad_files)
{
    static const char *const cases[][2] = {
        {"mesos-master/quorum", "2\n3\n"},
        {"mesos-master/bad.name", "x"},
        {"mesos/zk", "zk://a:2181/mesos\nzk://b:2181/mesos\n"},
        {"mesos-master/?bad name", ""},
        {"mesos-master/?hostname", ""},       /* issue 13, defect 5: not a boolean */
        {"mesos-master/containerizers", "x"}, /* defect 4: an agent flag */
        {"mesos-master/quorom", "2"},         /* defect 4: misspelt */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        make_root();
        put_file(cases[i][0], cases[i][1]);
        char *envp[] = {NULL};
        struct settings s = {0};
        int rc;
        build(ROLE_MESOS_MASTER, envp, &s, &rc);
        CHECK_INT(rc, 65);
        settings_free(&s);
        remove_root();
    }
    make_root();
    put_file("mesos-master/hostname_lookup", "false");
    put_file("mesos-master/?hostname_lookup", "");
    char *envp[] = {NULL};
    struct settings s = {0};
    int rc;
    build(ROLE_MESOS_MASTER, envp, &s, &rc); /* the same flag twice in one directory */
    CHECK_INT(rc, 65);
    settings_free(&s);
    remove_root();
}
