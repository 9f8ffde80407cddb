/* test_args.c - the subcommands' one argument reader (getopt_long behind util/args). */
#include "unit.h"

#include "util/args.h"

static const struct option opts[] = {
    {"zk", required_argument, NULL, 'z'},
    {"force", no_argument, NULL, 'f'},
    {0},
};

/* Parses ARGV: the options seen as a string ("z=VALUE f"), then "| operands". */
static void parse(int argc, char **argv, char *out, size_t len)
{
    const struct args a = {argc, argv, "fo:", opts, "test", 0};
    size_t used = 0;
    out[0] = '\0';
    args_begin(&a);
    for (int c; (c = args_next(&a)) != -1;) {
        if (c == ARGS_BAD)
            used += (size_t)snprintf(out + used, len - used, "BAD ");
        else if (optarg)
            used += (size_t)snprintf(out + used, len - used, "%c=%s ", c, optarg);
        else
            used += (size_t)snprintf(out + used, len - used, "%c ", c);
    }
    char **rest;
    int n = args_operands(&a, &rest);
    used += (size_t)snprintf(out + used, len - used, "|");
    for (int i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, len - used, " %s", rest[i]);
}

TEST(args_forms_and_order)
{
    char got[256];
    char *v1[] = {"render", "tmpl", "-o", "out", "--zk=h:1", "--force", NULL};
    parse(6, v1, got, sizeof got);
    CHECK_STR(got, "o=out z=h:1 f | tmpl");
    char *v2[] = {"members", "--zk", "a:2181", "--", "--force", NULL};
    parse(5, v2, got, sizeof got);
    CHECK_STR(got, "z=a:2181 | --force");
    char *v3[] = {"members", "--bogus", "-x", "--zk", NULL};
    parse(4, v3, got, sizeof got);
    CHECK_STR(got, "BAD BAD BAD |");
    char *v4[] = {"render", "-",
                  NULL}; /* "-" (stdin) is an operand; a second parse starts afresh */
    parse(2, v4, got, sizeof got);
    CHECK_STR(got, "| -");
}

TEST(args_role_command)
{
    char **cmd;
    char *v1[] = {"zookeeper", "zkCli.sh", "-server", "h:1", NULL};
    CHECK_INT(args_command(4, v1, "test", 0, &cmd), 0);
    CHECK(cmd == v1 + 1); /* options end at the first operand: "-server" is the command's */
    char *v2[] = {"zookeeper", "--", "-x", NULL};
    CHECK_INT(args_command(3, v2, "test", 0, &cmd), 0);
    CHECK_STR(cmd[0], "-x");
    char *v3[] = {"zookeeper", NULL};
    CHECK_INT(args_command(1, v3, "test", 0, &cmd), 0);
    CHECK(cmd == NULL);
    char *v4[] = {"zookeeper", "--", NULL};
    CHECK_INT(args_command(2, v4, "test", 0, &cmd), 64);
    char *v5[] = {"zookeeper", "-x", NULL};
    CHECK_INT(args_command(2, v5, "test", 0, &cmd), 64);
    char *v6[] = {"zookeeper", "--help", "--bogus", NULL};
    CHECK_INT(args_command(3, v6, "test", 0, &cmd), 1);
    CHECK_INT(args_command(4, v1, "test", 1, &cmd), 64); /* "--" required: refused */
    CHECK_INT(args_command(3, v2, "test", 1, &cmd), 0);
    CHECK_STR(cmd[0], "-x");
}
