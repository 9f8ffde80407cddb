/* mesos_files.h - reads the Mesos/Marathon packaging convention: one file per flag (name = flag,
 * content = value), `?flag` / `?no-flag` booleans, the agent's attributes/ and resources/. */
#ifndef ZKINIT_MESOS_FILES_H
#define ZKINIT_MESOS_FILES_H

#include "mesos/mesos_settings.h"

enum flag_style {
    STYLE_MESOS,    /* ?flag -> PREFIX_FLAG=true, ?no-flag -> PREFIX_FLAG=false */
    STYLE_AGENT,    /* as MESOS, plus attributes/ and resources/ directories joined k:v;k2:v2 */
    STYLE_MARATHON, /* ?flag -> PREFIX_FLAG="" (Marathon's start script makes it --flag) */
};

/* What a flag file may name: the flags of ROLE (mesos_flagnames.h); an unknown one is an error,
 * or with WARN_UNKNOWN (ZKINIT_MESOS_UNKNOWN_FLAGS=warn) a warning. */
struct flag_policy {
    enum mesos_role role;
    int warn_unknown;
};

/* Reads one flag file's value (malloc'd into *VALUE; see flag_file_value for SEP). Returns 0, 1
 * when the file does not exist, or EXIT_CONFIG after logging one line naming PATH. */
int flag_file_read(const char *path, char sep, char **value);

/* Adds every flag file in DIR as a SRC_FILE setting with PREFIX. A missing DIR adds nothing.
 * Returns 0, or EXIT_CONFIG after logging one line naming the file. */
int flag_dir_load(struct settings *s, const char *dir, const char *prefix, enum flag_style style,
                  const struct flag_policy *policy);

#endif
