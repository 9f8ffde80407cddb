/* zk_super.c - the super password and its digest file (see zk_super.h). */
#include "zookeeper/zk_super.h"

#include "etcd/etcd.h"
#include "util/atomicfile.h"
#include "util/base64.h"
#include "util/env.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define PASSWORD_BYTES 24 /* 192 bits, 32 base64 characters */

static int random_password(char *buf, size_t len)
{
    unsigned char raw[PASSWORD_BYTES];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            log_error("cannot generate a random password", "error=\"%s\"", strerror(errno));
            return EXIT_INTERNAL;
        }
        got += (size_t)n;
    }
    int rc = base64_encode(raw, sizeof raw, buf, len);
    memset(raw, 0, sizeof raw);
    return rc > 0 ? 0 : EXIT_INTERNAL;
}

/* The ensemble's super password in etcd: PREFIX/super_password, created only if absent so every
 * node of the ensemble uses the one the first node stored. */
static int password_from_etcd(const struct etcd_config *cfg, char *buf, size_t len)
{
    char key[ETCD_PREFIX_MAX + 32], mine[64];
    int created = 0, rc;
    snprintf(key, sizeof key, "%s/super_password", cfg->prefix);
    struct etcd_client *c = etcd_open(cfg);
    if (!c) {
        log_error("cannot set up the etcd client", NULL);
        return EXIT_INTERNAL;
    }
    rc = random_password(mine, sizeof mine);
    if (rc == 0)
        rc = etcd_create(c, key, mine, &created, buf, len);
    if (rc == 0 && created)
        snprintf(buf, len, "%s", mine);
    if (rc == 0 && !created && !buf[0]) {
        log_error("the super password in etcd is empty or vanished",
                  "key=\"%s\" hint=\"remove the key; the next start stores a new one\"", key);
        rc = EXIT_UNAVAILABLE;
    }
    memset(mine, 0, sizeof mine);
    etcd_close(c);
    if (rc == 0)
        log_info(created ? "generated the ensemble's super password and stored it in etcd"
                         : "using the ensemble's super password from etcd",
                 "key=\"%s\"", key);
    return rc;
}

/* The password etcd gave, kept in the data volume (0600) so that a restart during an etcd outage
 * still authenticates: super_password in the state directory (zk_state_dir). */
static void cache_path(const struct zk_settings *st, char *buf, size_t len)
{
    char dir[ZK_PATH_MAX];
    zk_state_dir(st, dir, sizeof dir);
    snprintf(buf, len, "%s/super_password", dir);
}

static void cache_store(const struct zk_settings *st, const char *password)
{
    char path[ZK_PATH_MAX + 32], dir[ZK_PATH_MAX];
    zk_state_dir(st, dir, sizeof dir);
    cache_path(st, path, sizeof path);
    if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
        atomic_write_file(path, password, strlen(password), 0600) != 0)
        log_warn("cannot keep the super password in the data volume; a restart during an etcd "
                 "outage will fail",
                 "file=\"%s\" error=\"%s\"", path, strerror(errno));
}

static int cache_load(const struct zk_settings *st, char *buf, size_t len)
{
    char path[ZK_PATH_MAX + 32];
    cache_path(st, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf[0] ? 0 : -1;
}

/* No password anywhere: membership only when the operator says ACLs may be off. */
static int without_password(struct zk_settings *st)
{
    int skip = 0;
    if (env_bool("ZOO_SKIP_ACL", 0, &skip) != 0)
        return EXIT_USAGE;
    if (skip) {
        st->skip_acl = 1;
        log_warn("ZOO_SKIP_ACL=yes: zoo.cfg has skipACL=yes, so no ACL of any znode is checked "
                 "and every client may reconfigure the ensemble",
                 "hint=\"set ZOO_SUPER_PASSWORD or ZOO_SUPER_PASSWORD_FILE instead\"");
        return 0;
    }
    st->reconfig = 0;
    if (!st->standalone_set)
        st->standalone_enabled = 1;
    log_warn("dynamic membership is off (the official image's static configuration): it needs a "
             "super password",
             "hint=\"set ZOO_SUPER_PASSWORD, ZOO_SUPER_PASSWORD_FILE or ETCD_ENDPOINTS, or "
             "ZOO_SKIP_ACL=yes to run membership without ACLs\"");
    return 0;
}

/* With a super password, ACLs stay on: say so when ZOO_SKIP_ACL asks otherwise. */
static int ignored_skip_acl(const struct zk_settings *st)
{
    int skip = 0;
    if (env_bool("ZOO_SKIP_ACL", 0, &skip) != 0)
        return EXIT_USAGE;
    if (skip && st->reconfig)
        log_warn("ZOO_SKIP_ACL=yes is ignored: a super password is set, so ACLs stay on", NULL);
    return 0;
}

int zk_super_setup(struct zk_settings *st, char *password, size_t len, int *have)
{
    struct etcd_config cfg;
    int enabled = 0;
    *have = 0;
    int rc = secret_get("ZOO_SUPER_PASSWORD", password, len);
    unsetenv("ZOO_SUPER_PASSWORD");
    if (rc < 0)
        return EXIT_USAGE;
    if (rc == 1) {
        *have = 1;
        return ignored_skip_acl(st);
    }
    if (!st->reconfig)
        return 0;
    if ((rc = etcd_config_from_env(&cfg, &enabled)) != 0)
        return rc;
    if (!enabled)
        return without_password(st);
    if ((rc = password_from_etcd(&cfg, password, len)) == 0) {
        cache_store(st, password);
    } else if (rc == EXIT_UNAVAILABLE && cache_load(st, password, len) == 0) {
        log_warn("etcd is unreachable; using the super password this server got from it before",
                 NULL);
    } else {
        return rc;
    }
    *have = 1;
    return ignored_skip_acl(st);
}

int zk_super_argfile(const char *data_dir, const char *password, char *path, size_t len)
{
    char digest[96], text[160];
    snprintf(path, len, "%s/.zkinit-jvm-secret.args", data_dir);
    if (!password) {
        if (unlink(path) != 0 && errno != ENOENT)
            log_warn("cannot remove the old JVM secret file", "file=\"%s\" error=\"%s\"", path,
                     strerror(errno));
        return 0;
    }
    if (strpbrk(path, " \t\n")) { /* "@file" is one word of SERVER_JVMFLAGS */
        log_error("bad environment value",
                  "variable=ZOO_DATA_DIR hint=\"with a super password the data directory's path "
                  "must not contain blanks\"");
        return EXIT_USAGE;
    }
    zk_super_digest(password, digest, sizeof digest);
    int n = snprintf(text, sizeof text, "-Dzookeeper.DigestAuthenticationProvider.superDigest=%s\n",
                     digest);
    int rc = atomic_write_file(path, text, (size_t)n, 0600);
    memset(text, 0, sizeof text);
    memset(digest, 0, sizeof digest);
    if (rc != 0) {
        log_error("cannot write file", "file=\"%s\" error=\"%s\"", path, strerror(errno));
        return EXIT_CONFIG;
    }
    return 0;
}
