/* mesos_flagnames.h - the flag names mesos-master, mesos-agent (Mesos 1.7.0) and Marathon
 * (v1.6.352) load, as data taken from their sources: which flags exist, which are booleans,
 * which take lists; with a "did you mean" for a misspelt one. Pure. */
#ifndef ZKINIT_MESOS_FLAGNAMES_H
#define ZKINIT_MESOS_FLAGNAMES_H

#include "mesos/mesos_settings.h"

#include <stddef.h>

enum flag_kind {
    FLAG_VALUE,      /* --name=value */
    FLAG_BOOL,       /* --name, --no-name (Mesos), --disable_name (Marathon toggles) */
    FLAG_LIST_COMMA, /* a list: values on several lines are joined with ',' */
    FLAG_LIST_SEMI,  /* a list: values on several lines are joined with ';' */
};

struct flag_name {
    const char *name;
    unsigned char kind;   /* enum flag_kind */
    const char *alias_of; /* a deprecated name or a toggle's disable_ form: the flag it sets */
};

/* ROLE's table, sorted by name; *N gets its size. */
const struct flag_name *flagnames_table(enum mesos_role role, size_t *n);
/* Which sources the table of ROLE came from ("Mesos 1.7.0"). */
const char *flagnames_source(enum mesos_role role);
/* The entry of FLAG (as a daemon spells it: lower case, '-' read as '_'), or NULL. */
const struct flag_name *flagnames_find(enum mesos_role role, const char *flag);
/* The known flag of ROLE nearest to FLAG (edit distance, at most a third of its length, at
 * least 2), or NULL when none is near. */
const char *flagnames_suggest(enum mesos_role role, const char *flag);

#endif
