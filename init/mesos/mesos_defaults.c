/* mesos_defaults.c - the /etc/default files of the packages (see mesos_defaults.h). */
#include "mesos/mesos_defaults.h"

#include "util/log.h"

#include <stdio.h>
#include <string.h>

static const char *const shipped[] = {
    /* mesosphere/mesos-deb-packaging default/mesos, default/mesos-master, default/mesos-slave */
    "LOGS=/var/log/mesos",    "ULIMIT=\"-n 8192\"",         "PORT=5050",
    "ZK=`cat /etc/mesos/zk`", "MASTER=`cat /etc/mesos/zk`", NULL};

static int is_name_char(char c, int first)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

int mesos_default_line(const char *line, char *key, size_t len)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (strncmp(line, "export ", 7) == 0)
        line += 7;
    size_t n = strcspn(line, "\r\n");
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    for (int i = 0; shipped[i]; i++) {
        if (strlen(shipped[i]) == n && strncmp(line, shipped[i], n) == 0)
            return 0;
    }
    size_t k = 0;
    while (k < n && is_name_char(line[k], k == 0))
        k++;
    if (k == 0 || k >= n || line[k] != '=' || k >= len)
        return 0;
    memcpy(key, line, k);
    key[k] = '\0';
    return 1;
}

static void check_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024], key[128], keys[512] = "";
    size_t used = 0;
    while (fgets(line, sizeof line, f)) {
        if (mesos_default_line(line, key, sizeof key) != 1)
            continue;
        int w = snprintf(keys + used, sizeof keys - used, "%s%s", used ? " " : "", key);
        if (w > 0 && (size_t)w < sizeof keys - used)
            used += (size_t)w;
    }
    fclose(f);
    if (used)
        log_warn("not read: /etc/default files are for the packages' init scripts",
                 "file=\"%s\" variables=\"%s\" hint=\"%s\"", path, keys,
                 "set them in the environment (MESOS_<FLAG>, MARATHON_<FLAG>) or as flag files "
                 "(/etc/mesos-master/<flag>, /etc/mesos-slave/<flag>, /etc/marathon/conf/<flag>)");
}

void mesos_defaults_check(enum mesos_role role, const char *sysconfdir)
{
    static const char *const master[] = {"mesos", "mesos-master", NULL};
    static const char *const agent[] = {"mesos", "mesos-slave", "mesos-agent", NULL};
    static const char *const marathon[] = {"marathon", NULL};
    const char *const *names = role == ROLE_MESOS_MASTER  ? master
                               : role == ROLE_MESOS_AGENT ? agent
                                                          : marathon;
    for (int i = 0; names[i]; i++) {
        char path[4096];
        int w = snprintf(path, sizeof path, "%s/default/%s", sysconfdir, names[i]);
        if (w > 0 && (size_t)w < sizeof path)
            check_file(path);
    }
}
