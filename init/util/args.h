/* args.h - the one way a subcommand reads its arguments: getopt_long ("--opt V", "--opt=V",
 * options and operands in any order, "--" ends the options), and one logfmt line that names a
 * bad argument and the usage. */
#ifndef ZKINIT_ARGS_H
#define ZKINIT_ARGS_H

#include <getopt.h>

#define ARGS_BAD (-2)

struct args {
    int argc;
    char **argv;                   /* argv[0] is the subcommand's name */
    const char *shortopts;         /* getopt's, e.g. "ho:" */
    const struct option *longopts; /* ends with {0} */
    const char *usage;             /* one line, for the hint: "zkinit members [--zk HOSTS]" */
    int in_order;                  /* options end at the first operand (a command's argv) */
};

/* Starts reading A: getopt's state is reset (a second parse in one process starts afresh). */
void args_begin(const struct args *a);
/* The next option as getopt_long returns it (its value in optarg), -1 after the last one, or
 * ARGS_BAD after logging an unknown option or a missing value. */
int args_next(const struct args *a);
/* The operands left after the options: their count, and the first into *FIRST (may be NULL). */
int args_operands(const struct args *a, char ***first);
/* Logs that A's command takes no operands, naming the first. Returns 64 (EXIT_USAGE). */
int args_no_operands(const struct args *a);
/* Logs a bad argument ARG: the problem and A's usage. Returns 64 (EXIT_USAGE). */
int args_bad(const struct args *a, const char *arg, const char *problem);

/* A role's arguments, "[-h|--help] [--] [COMMAND [ARG...]]" (with DASHDASH: "-- COMMAND" only),
 * options in front only: 0 with *COMMAND the command's argv (NULL for none), 1 for --help, or 64
 * after logging (an unknown option, "--" without a COMMAND, or a COMMAND without a required
 * "--"). */
int args_command(int argc, char **argv, const char *usage, int dashdash, char ***command);

#endif
