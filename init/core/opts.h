/* opts.h - the generic init's command line and its ZKINIT_* environment twins. */
#ifndef ZKINIT_OPTS_H
#define ZKINIT_OPTS_H

#include "core/supervise.h"

/* Applies ZKINIT_PGROUP, ZKINIT_GRACE, ZKINIT_USER, ZKINIT_REWRITE, ZKINIT_SUCCESS_EXIT and the
 * hook variables to CFG. Returns 0, or EXIT_USAGE after logging which variable is wrong. Roles
 * call this; the generic init calls it through opts_parse_generic. */
int opts_from_env(struct supervise_cfg *cfg);

/* `zkinit [OPTIONS] [--] COMMAND [ARG...]`: defaults, then environment, then flags. Returns -1
 * when CFG is ready to supervise, else an exit code (0 after --help/--version, 64 on an error). */
int opts_parse_generic(int argc, char **argv, struct supervise_cfg *cfg);

#endif
