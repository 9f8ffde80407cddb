/* zk_recover_apply.c - the writes of `zkinit recover --force` (see zk_recover_apply.h). The order
 * makes a crash at any point safe to repeat: first the pending reconfig's file goes (ZooKeeper
 * would finish that reconfig on start), then the new dynamic file, then the membership state (from
 * here on a start uses the new config: it is the newest version known), then zoo.cfg and the old
 * files. */
#include "zookeeper/zk_recover_apply.h"

#include "util/atomicfile.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "zookeeper/zk_record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DYN_PREFIX "zoo.cfg.dynamic"
#define CFG_MAX 65536

static int write_text(const char *path, const char *text)
{
    if (!text || atomic_write_file(path, text, strlen(text), 0644) != 0) {
        log_error("cannot write file",
                  "file=\"%s\" error=\"%s\" hint=\"check the volume's "
                  "permissions and free space, then run zkinit recover --force again\"",
                  path, text ? strerror(errno) : "out of memory");
        return EXIT_CONFIG;
    }
    return 0;
}

/* Removes DIR/NAME durably. 0, or 65 after logging. */
static int remove_file(const char *dir, const char *name, const char *what)
{
    char path[ZK_PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (unlink(path) != 0) {
        if (errno == ENOENT)
            return 0;
        log_error("cannot remove file", "file=\"%s\" error=\"%s\"", path, strerror(errno));
        return EXIT_CONFIG;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    log_info(what, "file=\"%s\"", path);
    return 0;
}

/* Every zoo.cfg.dynamic* in DIR but KEEP. */
static int remove_old_dynamic(const char *dir, const char *keep)
{
    char names[64][256];
    int n = 0, rc = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    for (struct dirent *e = readdir(d); e && n < 64; e = readdir(d)) {
        if (strncmp(e->d_name, DYN_PREFIX, sizeof DYN_PREFIX - 1) == 0 &&
            strcmp(e->d_name, keep) != 0 && strlen(e->d_name) < sizeof names[0])
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    }
    closedir(d);
    for (int i = 0; i < n && rc == 0; i++)
        rc = remove_file(dir, names[i], "removed an old dynamic config file");
    return rc;
}

/* zoo.cfg's text with its dynamicConfigFile= line naming DYN (added when it has none). */
static char *repoint(const char *text, const char *dyn)
{
    static const char key[] = "dynamicConfigFile=";
    size_t cap = strlen(text) + strlen(dyn) + sizeof key + 2, o = 0;
    char *out = malloc(cap);
    int done = 0;
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        if (strncmp(p, key, sizeof key - 1) == 0) {
            if (!done)
                o += (size_t)snprintf(out + o, cap - o, "%s%s\n", key, dyn);
            done = 1;
        } else {
            o += (size_t)snprintf(out + o, cap - o, "%.*s\n", (int)n, p);
        }
        p += n + (p[n] == '\n');
    }
    if (!done)
        snprintf(out + o, cap - o, "%s%s\n", key, dyn);
    else
        out[o] = '\0';
    return out;
}

static int repoint_cfg(const char *dir, const char *dyn)
{
    char path[ZK_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/zoo.cfg", dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        log_info("no zoo.cfg in the state directory; zkinit writes it at the next start",
                 "file=\"%s\"", path);
        return 0;
    }
    char *text = calloc(1, CFG_MAX);
    ssize_t len = text ? read(fd, text, CFG_MAX - 1) : -1;
    close(fd);
    if (len < 0) {
        log_error("cannot read file", "file=\"%s\" error=\"%s\"", path, strerror(errno));
        free(text);
        return EXIT_CONFIG;
    }
    char *out = repoint(text, dyn);
    int rc = write_text(path, out);
    if (rc == 0)
        log_info("pointed zoo.cfg at the one-member config", "file=\"%s\" dynamicConfigFile=\"%s\"",
                 path, dyn);
    free(out);
    free(text);
    return rc;
}

int zk_recover_apply(const struct zk_settings *st, const struct zk_state *state)
{
    char dir[ZK_PATH_MAX], name[64], dyn[ZK_PATH_MAX + 64];
    zk_state_dir(st, dir, sizeof dir);
    snprintf(name, sizeof name, DYN_PREFIX ".%s", state->config.version);
    snprintf(dyn, sizeof dyn, "%s/%s", dir, name);
    int rc = remove_file(dir, DYN_PREFIX ".next", "removed a pending reconfig's config file");
    if (rc != 0)
        return rc;
    char *text = zk_render_dynamic(&state->config);
    rc = write_text(dyn, text);
    free(text);
    if (rc != 0)
        return rc;
    log_info("wrote the one-member dynamic config", "file=\"%s\" servers=%d version=%s", dyn,
             state->config.n, state->config.version);
    if (zk_state_save(st, state) != 0)
        return EXIT_CONFIG;
    log_info("saved the membership state", "status=%s version=%s note=\"%s\"",
             zk_status_name(state->status), state->config.version, state->note);
    if ((rc = repoint_cfg(dir, dyn)) != 0 || (rc = remove_old_dynamic(dir, name)) != 0)
        return rc;
    if (zk_record_store(&state->config, 0) != 0)
        log_warn("could not record the new config in etcd; the server records it itself once "
                 "it serves",
                 "version=%s", state->config.version);
    return 0;
}
