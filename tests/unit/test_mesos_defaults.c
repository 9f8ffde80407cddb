/* test_mesos_defaults.c - the /etc/default line classifier and master URLs as Mesos reads them
 * (file://, blanks around). */
#include "mesos/mesos_defaults.h"
#include "mesos/mesos_masterurl.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

TEST(defaults_lines)
{
    char key[64];
    CHECK_INT(mesos_default_line("LOGS=/var/log/mesos\n", key, sizeof key), 0);
    CHECK_INT(mesos_default_line("ULIMIT=\"-n 8192\"\n", key, sizeof key), 0);
    CHECK_INT(mesos_default_line("ZK=`cat /etc/mesos/zk`\n", key, sizeof key), 0);
    CHECK_INT(mesos_default_line("MASTER=`cat /etc/mesos/zk`", key, sizeof key), 0);
    CHECK_INT(mesos_default_line("# MESOS_X=1\n", key, sizeof key), 0);
    CHECK_INT(mesos_default_line("\n", key, sizeof key), 0);
    CHECK_INT(mesos_default_line("export MESOS_QUORUM=2\n", key, sizeof key), 1);
    CHECK_STR(key, "MESOS_QUORUM");
    CHECK_INT(mesos_default_line("  IP=10.0.0.1\r\n", key, sizeof key), 1);
    CHECK_STR(key, "IP");
    CHECK_INT(mesos_default_line("PORT=5051\n", key, sizeof key), 1); /* not the shipped 5050 */
    CHECK_STR(key, "PORT");
    CHECK_INT(mesos_default_line("echo hi\n", key, sizeof key), 0);
    CHECK_INT(mesos_default_line("1X=2\n", key, sizeof key), 0);
}

TEST(masterurl_trimmed_and_file)
{
    char out[256];
    const char *why = NULL;
    CHECK_INT(mesos_master_url("  zk://a:2181/mesos \n", out, sizeof out, &why), 0);
    CHECK_STR(out, "zk://a:2181/mesos");
    CHECK_INT(mesos_master_url("10.0.0.1:5050", out, sizeof out, &why), 0);
    CHECK_STR(out, "10.0.0.1:5050");
    char path[] = "/tmp/zkinit-masterurl-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    const char *content = "\n zk://u:p@ss@b:2181/mesos\r\n\n";
    CHECK_INT(write(fd, content, strlen(content)), (long)strlen(content));
    close(fd);
    char url[300];
    snprintf(url, sizeof url, " file://%s", path);
    CHECK_INT(mesos_master_url(url, out, sizeof out, &why), 0);
    CHECK_STR(out, "zk://u:p@ss@b:2181/mesos");
    unlink(path);
    CHECK_INT(mesos_master_url(url, out, sizeof out, &why), -1); /* gone */
    CHECK(why != NULL);
    CHECK_INT(mesos_master_url("zk://a:2181/mesos", out, 8, &why), -1);
}
