/* zk_datadir.c - a data directory's last zxid and newest dynamic config (see zk_datadir.h). */
#include "zookeeper/zk_datadir.h"

#include "util/log.h"
#include "util/readfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LOGS 4096
#define CFG_MAX 65536

struct logfile {
    uint64_t zxid;
    char path[ZK_PATH_MAX + 300];
};

static int newest_first(const void *a, const void *b)
{
    uint64_t x = ((const struct logfile *)a)->zxid, y = ((const struct logfile *)b)->zxid;
    return (x < y) - (x > y);
}

/* DIR/version-2: snapshot names into OUT, log files appended to LOGS. */
static void list_dir(const char *dir, struct zk_datadir_info *out, struct logfile *logs, int *n)
{
    char path[ZK_PATH_MAX];
    snprintf(path, sizeof path, "%s/version-2", dir);
    DIR *d = opendir(path);
    if (!d)
        return;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        uint64_t z;
        if (zk_zxid_from_name(e->d_name, "snapshot.", &z) == 0) {
            out->snapshots++;
            out->has_zxid = 1;
            if (z > out->snap_zxid)
                out->snap_zxid = z;
        } else if (zk_zxid_from_name(e->d_name, "log.", &z) == 0 && *n < MAX_LOGS) {
            logs[*n].zxid = z;
            snprintf(logs[*n].path, sizeof logs[*n].path, "%s/%.255s", path, e->d_name);
            (*n)++;
        }
    }
    closedir(d);
}

/* Scans one log file. 0 with INFO, or -1 after logging. */
static int scan_log(const char *path, struct zk_txnlog_info *info)
{
    char err[160];
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        log_error("cannot read a transaction log",
                  "file=\"%s\" error=\"%s\" hint=\"fix its "
                  "permissions (zkinit recover runs as root in the image)\"",
                  path, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (sb.st_size == 0) { /* created, never written */
        close(fd);
        memset(info, 0, sizeof *info);
        return 0;
    }
    void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        log_error("cannot read a transaction log", "file=\"%s\" error=\"%s\"", path,
                  strerror(errno));
        return -1;
    }
    int rc = zk_txnlog_scan(map, (size_t)sb.st_size, info, err, sizeof err);
    munmap(map, (size_t)sb.st_size);
    if (rc != 0)
        log_error("a file named like a transaction log is none",
                  "file=\"%s\" problem=\"%s\" "
                  "hint=\"move it out of version-2 if it is not ZooKeeper's\"",
                  path, err);
    return rc;
}

static int same_dir(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    if (!b || !*b || strcmp(a, b) == 0)
        return 1;
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

int zk_datadir_scan(const char *data_dir, const char *log_dir, struct zk_datadir_info *out)
{
    struct logfile *logs = calloc(MAX_LOGS, sizeof *logs);
    int n = 0, rc = 0;
    memset(out, 0, sizeof *out);
    if (!logs)
        return -1;
    list_dir(data_dir, out, logs, &n);
    if (!same_dir(data_dir, log_dir))
        list_dir(log_dir, out, logs, &n);
    out->logs = n;
    qsort(logs, (size_t)n, sizeof *logs, newest_first);
    for (int i = 0; i < n && rc == 0; i++) {
        struct zk_txnlog_info info;
        rc = scan_log(logs[i].path, &info);
        if (rc == 0 && info.records > 0) {
            out->log_zxid = info.last_zxid;
            out->log_end = info.end;
            out->has_zxid = 1;
            snprintf(out->log_file, sizeof out->log_file, "%s", logs[i].path);
            if (info.end == ZK_TXNLOG_END_CRC || info.end == ZK_TXNLOG_END_SHORT)
                log_warn("a transaction log ends in a damaged record; counting the records "
                         "before it",
                         "file=\"%s\" offset=%zu end=%s last_zxid=%" PRIx64, logs[i].path,
                         info.end_offset, zk_txnlog_end_name(info.end), info.last_zxid);
            break;
        }
    }
    free(logs);
    out->last_zxid = out->snap_zxid > out->log_zxid ? out->snap_zxid : out->log_zxid;
    return rc;
}

int zk_datadir_config(const char *state_dir, struct zk_ensemble *out)
{
    static const char prefix[] = "zoo.cfg.dynamic.";
    char best[300] = "", path[ZK_PATH_MAX + 300], err[200];
    uint64_t best_v = 0;
    memset(out, 0, sizeof *out);
    DIR *d = opendir(state_dir);
    if (!d)
        return 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        uint64_t v;
        if (zk_zxid_from_name(e->d_name, prefix, &v) == 0 && (!best[0] || v > best_v) &&
            strlen(e->d_name) < sizeof best) {
            best_v = v;
            snprintf(best, sizeof best, "%s", e->d_name);
        }
    }
    closedir(d);
    if (!best[0])
        return 0;
    snprintf(path, sizeof path, "%s/%s", state_dir, best);
    char *text = read_regular_file(path, CFG_MAX - 1);
    int rc = text ? zk_parse_config(text, out, err, sizeof err) : -1;
    free(text);
    if (rc != 0) {
        log_error("a dynamic config file does not parse",
                  "file=\"%s\" problem=\"%s\" "
                  "hint=\"move it away if it is not ZooKeeper's\"",
                  path, text ? err : "unreadable");
        memset(out, 0, sizeof *out);
        return -1;
    }
    snprintf(out->version, sizeof out->version, "%.*s", ZK_VERSION_MAX - 1,
             best + sizeof prefix - 1);
    return 0;
}

void zk_datadir_cfg_value(const char *path, const char *key, char *buf, size_t len)
{
    size_t k = strlen(key);
    char *text = read_regular_file(path, CFG_MAX - 1);
    buf[0] = '\0';
    for (const char *p = text; p && *p;) {
        size_t n = strcspn(p, "\n");
        if (n > k && strncmp(p, key, k) == 0 && p[k] == '=')
            snprintf(buf, len, "%.*s", (int)(n - k - 1 - (p[n - 1] == '\r')), p + k + 1);
        p += n + (p[n] == '\n');
    }
    free(text);
}
