/* mesos_files.c - the one-file-per-flag packaging convention (see mesos_files.h). */
#include "mesos/mesos_files.h"

#include "mesos/mesos_flagnames.h"
#include "util/exitcodes.h"
#include "util/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FLAG_FILE_MAX ((size_t)64 * 1024)
#define NAME_MAX_LEN 256

/* DIR/NAME into OUT; -1 (after logging) when it does not fit. */
static int path_join(char *out, size_t len, const char *dir, const char *name)
{
    int w = snprintf(out, len, "%s/%s", dir, name);
    if (w < 0 || (size_t)w >= len) {
        log_error("path too long", "dir=\"%s\"", dir);
        return -1;
    }
    return 0;
}

static const char *const HINT_VALUE = "one value per file (JSON flags take file:///path)";

int flag_file_read(const char *path, char sep, char **value)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 1;
    if (fd < 0) {
        log_error("cannot read a flag file", "file=\"%s\" error=\"%s\"", path, strerror(errno));
        return EXIT_CONFIG;
    }
    char *buf = malloc(FLAG_FILE_MAX + 1);
    size_t len = 0;
    ssize_t r = 0;
    while (buf && len <= FLAG_FILE_MAX && (r = read(fd, buf + len, FLAG_FILE_MAX + 1 - len)) > 0)
        len += (size_t)r;
    int err = errno;
    close(fd);
    const char *why = NULL;
    if (!buf)
        why = "out of memory";
    else if (r < 0)
        why = strerror(err);
    else if (len > FLAG_FILE_MAX)
        why = "larger than 64 KiB";
    else if (flag_file_value(buf, len, sep, &why) == 0)
        why = NULL;
    if (why) {
        log_error("bad flag file", "file=\"%s\" error=\"%s\" hint=\"%s\"", path, why, HINT_VALUE);
        free(buf);
        return EXIT_CONFIG;
    }
    *value = buf;
    return 0;
}

static int bad_name(const char *path, const char *why)
{
    log_error("bad flag file name", "file=\"%s\" error=\"%s\" hint=\"%s\"", path, why,
              "name a file after the flag: work_dir, ?flag or ?no-flag");
    return EXIT_CONFIG;
}

/* Joins DIR/<k> files into "k:v;k2:v2" (the agent's attributes and resources). */
static int join_dir(const char *dir, char **out)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0) {
        log_error("cannot read a flag directory", "dir=\"%s\" error=\"%s\"", dir, strerror(errno));
        return EXIT_CONFIG;
    }
    size_t cap = 1, used = 0;
    char *joined = calloc(1, 1);
    int rc = joined ? 0 : EXIT_INTERNAL;
    for (int i = 0; i < n; i++) {
        const char *k = ents[i]->d_name;
        char path[4096], *v = NULL;
        if (rc != 0 || k[0] == '.')
            continue;
        if (path_join(path, sizeof path, dir, k) != 0) {
            rc = EXIT_CONFIG;
            continue;
        }
        if (strchr(k, ':') || strchr(k, ';')) {
            rc = bad_name(path, "a key may not contain ':' or ';'");
            continue;
        }
        rc = flag_file_read(path, 0, &v);
        if (rc == 1 || (rc == 0 && v[0] == '\0')) {
            free(v); /* an empty file is skipped, as the wrapper does (Mesos refuses "k:") */
            rc = 0;
            continue;
        }
        if (rc != 0)
            continue;
        size_t need = used + strlen(k) + strlen(v) + 3;
        char *grown = need > cap ? realloc(joined, need * 2) : joined;
        if (!grown) {
            rc = EXIT_INTERNAL;
        } else {
            cap = need > cap ? need * 2 : cap;
            joined = grown;
            used += (size_t)snprintf(joined + used, cap - used, "%s%s:%s", used ? ";" : "", k, v);
        }
        free(v);
    }
    for (int i = 0; i < n; i++)
        free(ents[i]);
    free(ents);
    if (rc != 0) {
        free(joined);
        return rc;
    }
    *out = joined;
    return 0;
}

static const char *const role_label[] = {"mesos-master", "mesos-agent", "marathon"};

/* A flag file naming a flag ROLE does not have: EXIT_CONFIG, or 0 after a warning. */
static int unknown_flag(const struct flag_policy *p, const char *path, const char *flag)
{
    char hint[256];
    const char *near = flagnames_suggest(p->role, flag);
    enum mesos_role other = p->role == ROLE_MESOS_MASTER ? ROLE_MESOS_AGENT : ROLE_MESOS_MASTER;
    if (p->role != ROLE_MARATHON && flagnames_find(other, flag))
        snprintf(hint, sizeof hint, "%s is a %s flag, not a %s one", flag, role_label[other],
                 role_label[p->role]);
    else if (near)
        snprintf(hint, sizeof hint, "did you mean %s?", near);
    else
        snprintf(hint, sizeof hint, "see %s --help", role_label[p->role]);
    log_line(p->warn_unknown ? LOG_WARN : LOG_ERROR, "unknown flag file",
             "file=\"%s\" flag=%s known=\"%s\" hint=\"%s%s\"", path, flag,
             flagnames_source(p->role), hint,
             p->warn_unknown ? " (exported anyway: ZKINIT_MESOS_UNKNOWN_FLAGS=warn)"
                             : " (ZKINIT_MESOS_UNKNOWN_FLAGS=warn exports it anyway)");
    return p->warn_unknown ? 0 : EXIT_CONFIG;
}

/* Checks FLAG of the file PATH against the table; *KIND gets its kind (FLAG_VALUE when it is
 * unknown and only warned about). */
static int check_flag(const struct flag_policy *p, const char *path, const char *flag, int *kind)
{
    const struct flag_name *f = flagnames_find(p->role, flag);
    *kind = f ? f->kind : FLAG_VALUE;
    return f ? 0 : unknown_flag(p, path, flag);
}

/* The variable and value for a `?flag` / `?no-flag` file NAME (without the '?'). */
static int boolean_flag(const char *path, const char *name, const char *prefix,
                        enum flag_style style, const struct flag_policy *p, char *var, size_t len,
                        const char **value)
{
    int negated = strncmp(name, "no-", 3) == 0 || strncmp(name, "no_", 3) == 0;
    if (style == STYLE_MARATHON) {
        if (negated) {
            log_error("bad flag file name", "file=\"%s\" hint=\"%s\"", path,
                      "Marathon has no --no-FLAG form: use ?disable_FLAG or a file FLAG=false");
            return EXIT_CONFIG;
        }
        *value = "";
    } else {
        *value = negated ? "false" : "true";
        name += negated ? 3 : 0;
    }
    if (flag_env_name(prefix, name, var, len) != 0)
        return bad_name(path, "a flag name is letters, digits, '_' and '-'");
    const struct flag_name *f = flagnames_find(p->role, name);
    if (!f)
        return unknown_flag(p, path, name);
    if (f->kind != FLAG_BOOL) {
        log_error("a ?flag file names a flag that takes a value", "file=\"%s\" flag=%s hint=\"%s\"",
                  path, name,
                  "?FLAG is only for boolean flags: write the value into a file named "
                  "after the flag");
        return EXIT_CONFIG;
    }
    return 0;
}

/* One entry NAME of DIR. DONE (a settings list of the variables this directory set) catches
 * the same flag twice. */
static int load_entry(struct settings *s, struct settings *done, const char *dir, const char *name,
                      const char *prefix, enum flag_style style, const struct flag_policy *p)
{
    int kind = FLAG_VALUE;
    char path[4096], var[NAME_MAX_LEN];
    const char *value = NULL;
    char *owned = NULL;
    struct stat st;
    int rc;
    if (path_join(path, sizeof path, dir, name) != 0)
        return EXIT_CONFIG;
    if (stat(path, &st) != 0) {
        log_error("cannot read a flag file", "file=\"%s\" error=\"%s\"", path, strerror(errno));
        return EXIT_CONFIG;
    }
    if (S_ISDIR(st.st_mode)) {
        if (style != STYLE_AGENT ||
            (strcmp(name, "attributes") != 0 && strcmp(name, "resources") != 0)) {
            log_warn("ignoring a directory among flag files", "dir=\"%s\"", path);
            return 0;
        }
        if ((rc = join_dir(path, &owned)) != 0)
            return rc;
        if (owned[0] == '\0') {
            free(owned); /* an empty directory sets nothing */
            return 0;
        }
        value = owned;
        flag_env_name(prefix, name, var, sizeof var);
    } else if (!S_ISREG(st.st_mode)) {
        return bad_name(path, "not a regular file");
    } else if (strcmp(name, "?no-logger") == 0 || strcmp(name, "?no_logger") == 0) {
        log_info("ignoring the wrappers' ?no-logger (zkinit never sends output to syslog)",
                 "file=\"%s\"", path);
        return 0;
    } else if (name[0] == '?') {
        if ((rc = boolean_flag(path, name + 1, prefix, style, p, var, sizeof var, &value)) != 0)
            return rc;
    } else {
        if (flag_env_name(prefix, name, var, sizeof var) != 0)
            return bad_name(path, "a flag name is letters, digits, '_' and '-'");
        if ((rc = check_flag(p, path, name, &kind)) != 0)
            return rc;
        char sep = kind == FLAG_LIST_COMMA ? ',' : kind == FLAG_LIST_SEMI ? ';' : 0;
        if ((rc = flag_file_read(path, sep, &owned)) != 0)
            return rc == 1 ? 0 : rc;
        value = owned;
    }
    if (settings_find(done, var)) {
        free(owned);
        return bad_name(path, "the same flag is set twice in this directory");
    }
    rc = settings_put(s, var, value, SRC_FILE, path) || settings_put(done, var, "", SRC_FILE, path)
             ? EXIT_INTERNAL
             : 0;
    free(owned);
    return rc;
}

int flag_dir_load(struct settings *s, const char *dir, const char *prefix, enum flag_style style,
                  const struct flag_policy *policy)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0 && (errno == ENOENT || errno == ENOTDIR))
        return 0;
    if (n < 0) {
        log_error("cannot read a flag directory", "dir=\"%s\" error=\"%s\"", dir, strerror(errno));
        return EXIT_CONFIG;
    }
    struct settings done = {0};
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && ents[i]->d_name[0] != '.')
            rc = load_entry(s, &done, dir, ents[i]->d_name, prefix, style, policy);
        free(ents[i]);
    }
    free(ents);
    settings_free(&done);
    return rc;
}
