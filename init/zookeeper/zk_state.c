/* zk_state.c - durable membership state in the data volume (see zk_state.h). */
#include "zookeeper/zk_state.h"

#include "util/atomicfile.h"
#include "util/log.h"
#include "util/readfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_FILE "membership"
#define STATE_MAX 32768

static const char *const status_names[] = {"none", "member", "joining", "left"};

const char *zk_status_name(enum zk_status s)
{
    return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

static int status_from_name(const char *v, size_t n, enum zk_status *out)
{
    for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++) {
        if (strlen(status_names[i]) == n && strncmp(status_names[i], v, n) == 0) {
            *out = (enum zk_status)i;
            return 0;
        }
    }
    return -1;
}

/* One "key=value" line of the state (not a server or version line). */
static int parse_field(const char *line, size_t n, struct zk_state *out, char *err, size_t errlen)
{
    const char *eq = memchr(line, '=', n);
    size_t klen = eq ? (size_t)(eq - line) : n;
    const char *v = eq ? eq + 1 : "";
    size_t vlen = eq ? n - klen - 1 : 0;
    if (klen == 6 && strncmp(line, "status", 6) == 0) {
        if (status_from_name(v, vlen, &out->status) == 0)
            return 0;
    } else if (klen == 2 && strncmp(line, "id", 2) == 0) {
        char num[8];
        char *end;
        snprintf(num, sizeof num, "%.*s", (int)(vlen < 7 ? vlen : 7), v);
        long id = strtol(num, &end, 10);
        if (vlen > 0 && vlen < 4 && *end == '\0' && id >= 1 && id <= 255) {
            out->id = (int)id;
            return 0;
        }
    } else if (klen == 4 && strncmp(line, "note", 4) == 0) {
        snprintf(out->note, sizeof out->note, "%.*s", (int)vlen, v);
        return 0;
    }
    snprintf(err, errlen, "bad line \"%.*s\"", (int)(n < 60 ? n : 60), line);
    return -1;
}

int zk_state_parse(const char *text, struct zk_state *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t cap = strlen(text) + 2; /* a newline added to a last line without one, and NUL */
    char *cfg = calloc(1, cap);
    size_t used = 0;
    int rc = cfg ? 0 : -1;
    for (const char *p = text; rc == 0 && *p;) {
        size_t n = strcspn(p, "\n");
        size_t len = n && p[n - 1] == '\r' ? n - 1 : n;
        if (len == 0 || p[0] == '#') {
            /* blank or comment */
        } else if (strncmp(p, "server.", 7) == 0 || strncmp(p, "version=", 8) == 0) {
            memcpy(cfg + used, p, len);
            used += len;
            cfg[used++] = '\n';
        } else {
            rc = parse_field(p, len, out, err, errlen);
        }
        p += n + (p[n] == '\n');
    }
    if (rc == 0 && zk_parse_config(cfg, &out->config, err, errlen) != 0)
        rc = -1;
    if (rc == 0 && out->status == ZK_STATUS_NONE) {
        snprintf(err, errlen, "%s", "no status line");
        rc = -1;
    }
    free(cfg);
    return rc;
}

char *zk_state_render(const struct zk_state *st)
{
    char head[512], id[16] = ""; /* the note is at most 127 bytes */
    char *config = zk_render_config(&st->config);
    if (!config)
        return NULL;
    if (st->id > 0)
        snprintf(id, sizeof id, "id=%d\n", st->id);
    int n = snprintf(head, sizeof head,
                     "# zkinit membership state: written by zkinit, read at every start (do not "
                     "edit while the server runs)\nstatus=%s\nnote=%s\n%s",
                     zk_status_name(st->status), st->note, id);
    size_t len = (size_t)n + strlen(config) + 1;
    char *buf = malloc(len);
    if (buf)
        snprintf(buf, len, "%s%s", head, config);
    free(config);
    return buf;
}

int zk_version_cmp(const char *a, const char *b)
{
    unsigned long long x = *a ? strtoull(a, NULL, 16) : 0;
    unsigned long long y = *b ? strtoull(b, NULL, 16) : 0;
    return (x > y) - (x < y);
}

int zk_state_load(const struct zk_settings *st, struct zk_state *out)
{
    char dir[ZK_PATH_MAX], path[ZK_PATH_MAX + 16], err[160];
    memset(out, 0, sizeof *out);
    zk_state_dir(st, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, STATE_FILE);
    char *text = read_regular_file(path, STATE_MAX);
    if (!text && errno == ENOENT)
        return 0;
    if (!text) {
        log_error("cannot read the membership state",
                  "file=\"%s\" error=\"%s\" hint=\"fix the "
                  "file's permissions, or move it away to make this a new member\"",
                  path, strerror(errno));
        return -1;
    }
    int rc = zk_state_parse(text, out, err, sizeof err);
    free(text);
    if (rc != 0)
        log_error("the membership state is corrupt",
                  "file=\"%s\" problem=\"%s\" hint=\"move it "
                  "away to make this server a new member (it then rejoins a live ensemble)\"",
                  path, err);
    return rc;
}

int zk_state_save(const struct zk_settings *st, const struct zk_state *state)
{
    char dir[ZK_PATH_MAX], path[ZK_PATH_MAX + 16];
    zk_state_dir(st, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, STATE_FILE);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        log_error("cannot create directory", "dir=\"%s\" error=\"%s\"", dir, strerror(errno));
        return -1;
    }
    char *text = zk_state_render(state);
    int rc = text ? atomic_write_file(path, text, strlen(text), 0644) : -1;
    free(text);
    if (rc != 0)
        log_error("cannot write the membership state", "file=\"%s\" error=\"%s\"", path,
                  strerror(errno));
    return rc;
}

/* ZooKeeper's own files in DIR/version-2. */
static int dir_has_data(const char *dir)
{
    char path[ZK_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/version-2", dir);
    DIR *d = opendir(path);
    int found = 0;
    if (!d)
        return 0;
    for (struct dirent *e = readdir(d); e && !found; e = readdir(d)) {
        found = strncmp(e->d_name, "snapshot.", 9) == 0 || strncmp(e->d_name, "log.", 4) == 0 ||
                strcmp(e->d_name, "currentEpoch") == 0 || strcmp(e->d_name, "acceptedEpoch") == 0;
    }
    closedir(d);
    return found;
}

int zk_has_data(const struct zk_settings *st)
{
    return dir_has_data(st->data_dir) || dir_has_data(st->data_log_dir);
}

/* PATH (resolved) lies inside DIR (resolved). */
static int inside(const char *path, const char *dir)
{
    char real[PATH_MAX];
    if (!realpath(dir, real))
        return 0;
    size_t n = strlen(real);
    return strncmp(path, real, n) == 0 && (path[n] == '/' || real[n - 1] == '/');
}

/* The value of dynamicConfigFile= in the zoo.cfg TEXT, into BUF ("" when none). */
static void dynamic_file_of(const char *text, char *buf, size_t len)
{
    static const char key[] = "dynamicConfigFile=";
    buf[0] = '\0';
    for (const char *line = text; line && *line;) {
        if (strncmp(line, key, sizeof key - 1) == 0) {
            const char *v = line + sizeof key - 1;
            snprintf(buf, len, "%.*s", (int)strcspn(v, "\r\n"), v);
            return;
        }
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
}

static int allowed_place(const struct zk_settings *st, const char *real)
{
    char dir[ZK_PATH_MAX];
    zk_state_dir(st, dir, sizeof dir);
    return inside(real, st->conf_dir) || inside(real, st->data_dir) || inside(real, dir);
}

/* ZooKeeper names its dynamic files zoo.cfg.dynamic.<hex version> and writes no version line. */
static void version_from_name(const char *path, char *buf, size_t len)
{
    const char *dot = strrchr(path, '.');
    const char *v = dot ? dot + 1 : "";
    if (dot && dot - path >= 15 && strncmp(dot - 15, "zoo.cfg.dynamic", 15) == 0 && *v &&
        strlen(v) < len && strspn(v, "0123456789abcdef") == strlen(v))
        snprintf(buf, len, "%s", v);
}

int zk_config_from_files(const struct zk_settings *st, const char *cfg_path,
                         struct zk_ensemble *out)
{
    char dyn[ZK_PATH_MAX], real[PATH_MAX], err[200];
    memset(out, 0, sizeof *out);
    char *cfg = read_regular_file(cfg_path, STATE_MAX);
    if (!cfg)
        return 0; /* no zoo.cfg there: nothing known */
    dynamic_file_of(cfg, dyn, sizeof dyn);
    free(cfg);
    if (!dyn[0])
        return 0;
    if (!realpath(dyn, real))
        return 0; /* pruned or never written */
    if (!allowed_place(st, real)) {
        log_warn("ignoring a dynamicConfigFile outside the conf and data directories",
                 "config=\"%s\" hint=\"zkinit follows only files it or ZooKeeper wrote\"",
                 cfg_path);
        return 0;
    }
    char *text = read_regular_file(real, STATE_MAX);
    if (!text) {
        log_warn("ignoring an unreadable dynamic config (not a regular file?)", "file=\"%s\"",
                 real);
        return 0;
    }
    int rc = zk_parse_config(text, out, err, sizeof err);
    free(text);
    if (rc != 0) {
        log_warn("ignoring a dynamic config that does not parse", "file=\"%s\"", real);
        memset(out, 0, sizeof *out);
    } else if (!out->version[0]) {
        version_from_name(real, out->version, sizeof out->version);
    }
    return 0;
}
