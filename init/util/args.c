/* args.c - the one way a subcommand reads its arguments (getopt_long). */
#include "util/args.h"

#include "util/exitcodes.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

void args_begin(const struct args *a)
{
    (void)a;
    opterr = 0; /* the messages are ours, in logfmt */
    optind = 0; /* glibc and musl: a full reset, including the ordering mode */
}

int args_bad(const struct args *a, const char *arg, const char *problem)
{
    log_error("bad argument", "argument=\"%s\" problem=\"%s\" hint=\"usage: %s\"", arg, problem,
              a->usage);
    return EXIT_USAGE;
}

/* The option getopt_long just refused, as the user typed it. */
static const char *refused(const struct args *a, char *buf, size_t len)
{
    const char *last = optind > 0 && optind <= a->argc ? a->argv[optind - 1] : "";
    if (optopt && strncmp(last, "--", 2) != 0) {
        snprintf(buf, len, "-%c", optopt);
        return buf;
    }
    return last;
}

int args_next(const struct args *a)
{
    char buf[4];
    char spec[64];
    /* '+': stop at the first operand; ':': report a missing value apart from an unknown option */
    snprintf(spec, sizeof spec, "%s:%s", a->in_order ? "+" : "", a->shortopts);
    optopt = 0;
    int c = getopt_long(a->argc, a->argv, spec, a->longopts, NULL);
    if (c == '?') {
        args_bad(a, refused(a, buf, sizeof buf), "unknown option");
        return ARGS_BAD;
    }
    if (c == ':') {
        args_bad(a, refused(a, buf, sizeof buf), "the option needs a value");
        return ARGS_BAD;
    }
    return c;
}

int args_operands(const struct args *a, char ***first)
{
    int n = optind < a->argc ? a->argc - optind : 0;
    if (first)
        *first = a->argv + optind;
    return n;
}

int args_no_operands(const struct args *a)
{
    char problem[64];
    snprintf(problem, sizeof problem, "%s takes no operands", a->argv[0]);
    return args_bad(a, optind < a->argc ? a->argv[optind] : "", problem);
}

int args_command(int argc, char **argv, const char *usage, int dashdash, char ***command)
{
    static const struct option help_only[] = {{"help", no_argument, NULL, 'h'}, {0}};
    const struct args a = {argc, argv, "h", help_only, usage, 1};
    char **rest;
    *command = NULL;
    args_begin(&a);
    int c = args_next(&a);
    if (c != -1)
        return c == 'h' ? 1 : EXIT_USAGE;
    int after_dashdash = optind > 1 && optind <= argc && strcmp(argv[optind - 1], "--") == 0;
    if (args_operands(&a, &rest) > 0) {
        if (dashdash && !after_dashdash)
            return args_bad(&a, rest[0], "a COMMAND follows --");
        *command = rest;
        return 0;
    }
    if (after_dashdash) {
        log_error("missing COMMAND after --", "hint=\"usage: %s\"", usage);
        return EXIT_USAGE;
    }
    return 0;
}
