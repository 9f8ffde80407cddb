/* mesos_settings.h - the settings of the mesos-master, mesos-agent and marathon roles as a list
 * (a variable, its value, where it came from, which source wins), and the pure helpers the flag
 * files (mesos_files) and the merge (mesos_flags) both use. */
#ifndef ZKINIT_MESOS_SETTINGS_H
#define ZKINIT_MESOS_SETTINGS_H

#include <stddef.h>

enum mesos_role { ROLE_MESOS_MASTER, ROLE_MESOS_AGENT, ROLE_MARATHON };
enum setting_src { SRC_DERIVED = 1, SRC_FILE = 2, SRC_ENV = 3 };

struct setting {
    char *name; /* environment variable, e.g. MESOS_WORK_DIR */
    char *value;
    int src;      /* enum setting_src */
    char *origin; /* file path, or the variable it was derived from */
};

struct settings {
    struct setting *v;
    size_t n, cap;
};

void settings_free(struct settings *s);
/* Sets NAME unless a higher source already did; the same source replaces (a later file wins).
 * Returns 0, or -1 when out of memory. */
int settings_put(struct settings *s, const char *name, const char *value, int src,
                 const char *origin);
const struct setting *settings_find(const struct settings *s, const char *name);
const char *settings_value(const struct settings *s, const char *name);

/* "work-dir" -> PREFIX "WORK_DIR" (upper case, '-' -> '_'). Returns 0, or -1 when FLAG is not
 * [A-Za-z0-9_-]+ or OUT is too small. Pure. */
int flag_env_name(const char *prefix, const char *flag, char *out, size_t len);

/* A flag file's content (LEN bytes in BUF, NUL-terminated in place): blanks around each line, CR
 * line ends and blank lines are dropped (as the wrapper's $(cat) and Mesos's trimming of command
 * line flags do); several lines are joined with SEP, or are an error when SEP is 0. A NUL byte is
 * an error. Returns 0, or -1 with *WHY set. Pure. */
int flag_file_value(char *buf, size_t len, char sep, const char **why);

/* The environment variable PREFIX used by ROLE ("MESOS_" or "MARATHON_"). */
const char *mesos_role_prefix(enum mesos_role role);

/* Looks NAME up in ENVP (NULL-terminated "K=V" list). */
const char *envp_get(char **envp, const char *name);

#endif
