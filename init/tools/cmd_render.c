/* cmd_render.c - `zkinit render TEMPLATE [-o OUT] [--mode MODE]`: expand a template from the
 * environment (NAME, or a secret's NAME_FILE) to stdout, or atomically to OUT. */
#include "commands.h"
#include "tools/render.h"
#include "util/args.h"
#include "util/atomicfile.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TEMPLATE_MAX (4L << 20)
#define SECRET_MAX 4096
#define SECRETS_MAX 16

struct env_ctx {
    char *secrets[SECRETS_MAX];
    int nsecrets;
    int failed;
};

/* NAME from the environment, else the content of NAME_FILE (a secret), else NULL. */
static const char *env_lookup(const char *name, void *arg)
{
    struct env_ctx *ctx = arg;
    const char *v = getenv(name);
    if (v)
        return v;
    char file_var[160];
    snprintf(file_var, sizeof file_var, "%s_FILE", name);
    if (!getenv(file_var) || ctx->nsecrets == SECRETS_MAX)
        return NULL;
    char *buf = malloc(SECRET_MAX);
    if (!buf)
        return NULL;
    int rc = secret_get(name, buf, SECRET_MAX);
    if (rc != 1) {
        ctx->failed |= rc < 0;
        free(buf);
        return NULL;
    }
    ctx->secrets[ctx->nsecrets++] = buf;
    return buf;
}

static void render_usage(FILE *f)
{
    fputs("usage: zkinit render TEMPLATE [-o OUT] [--mode MODE]\n"
          "Expands ${VAR}, ${VAR:-default}, ${VAR:?message} and $$ from the environment (a\n"
          "secret VAR may come from VAR_FILE). TEMPLATE - reads stdin. Without -o the result\n"
          "goes to stdout; with -o it is written atomically to OUT with MODE (octal, default\n"
          "0644). An undefined variable, or a value holding a newline, is an error (exit 65).\n",
          f);
}

static char *read_template(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || ferror(f))
            break;
        if (cap >= (size_t)TEMPLATE_MAX) {
            free(buf);
            buf = NULL;
            errno = EFBIG;
            break;
        }
        char *p = realloc(buf, cap * 2);
        if (!p) {
            free(buf);
            buf = NULL;
        }
        buf = p;
        cap *= 2;
    }
    int err = buf && ferror(f);
    if (f != stdin)
        fclose(f);
    if (err) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

static int parse_mode(const char *s, mode_t *mode)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 8);
    if (!*s || *end || errno || v < 0 || v > 07777)
        return -1;
    *mode = (mode_t)v;
    return 0;
}

static int write_output(const char *out, const char *text, size_t len, mode_t mode)
{
    if (!out) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            log_error("cannot write to standard output", "error=\"%s\"", strerror(errno));
            return EXIT_INTERNAL;
        }
        return 0;
    }
    if (atomic_write_file(out, text, len, mode) != 0) {
        log_error("cannot write the output file", "file=\"%s\" error=\"%s\"", out, strerror(errno));
        return EXIT_CONFIG;
    }
    log_info("rendered", "file=\"%s\" mode=%04o bytes=%zu", out, (unsigned)mode, len);
    return 0;
}

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"output", required_argument, NULL, 'o'},
    {"mode", required_argument, NULL, 'm'},
    {0},
};

/* The template and the options: 0, 1 after --help, or 64 after logging. */
static int parse_args(int argc, char **argv, const char **tmpl, const char **out, mode_t *mode)
{
    const struct args a = {
        argc, argv, "ho:", long_opts, "zkinit render TEMPLATE [-o OUT] [--mode MODE]", 0};
    args_begin(&a);
    for (int c; (c = args_next(&a)) != -1;) {
        switch (c) {
        case 'h':
            render_usage(stdout);
            return 1;
        case 'o':
            *out = optarg;
            break;
        case 'm':
            if (parse_mode(optarg, mode) == 0)
                break;
            args_bad(&a, optarg, "--mode takes an octal mode such as 0644");
            return EXIT_USAGE;
        default: /* ARGS_BAD: logged */
            return EXIT_USAGE;
        }
    }
    char **rest;
    int n = args_operands(&a, &rest);
    if (n == 0 || !rest[0]) {
        log_error("missing TEMPLATE", "hint=\"usage: zkinit render TEMPLATE [-o OUT]\"");
        return EXIT_USAGE;
    }
    if (n > 1) {
        args_bad(&a, rest[1], "render takes one TEMPLATE");
        return EXIT_USAGE;
    }
    *tmpl = rest[0];
    return 0;
}

int cmd_render(int argc, char **argv)
{
    const char *tmpl = NULL, *out = NULL;
    mode_t mode = 0644;
    int prc = parse_args(argc, argv, &tmpl, &out, &mode);
    if (prc != 0)
        return prc == 1 ? 0 : prc;
    size_t len = 0;
    char *text = read_template(tmpl, &len);
    if (!text) {
        log_error("cannot read the template", "file=\"%s\" error=\"%s\"", tmpl, strerror(errno));
        return EXIT_CONFIG;
    }
    struct env_ctx ctx = {0};
    char *result = NULL, err[512];
    size_t rlen = 0;
    int rc = render_template(text, len, strcmp(tmpl, "-") == 0 ? "stdin" : tmpl, env_lookup, &ctx,
                             &result, &rlen, err, sizeof err);
    free(text);
    for (int i = 0; i < ctx.nsecrets; i++) {
        explicit_bzero(ctx.secrets[i], SECRET_MAX);
        free(ctx.secrets[i]);
    }
    if (ctx.failed) {
        free(result);
        return EXIT_USAGE;
    }
    if (rc != 0) {
        log_error("cannot render the template", "error=\"%s\"", err);
        return EXIT_CONFIG;
    }
    rc = write_output(out, result, rlen, mode);
    explicit_bzero(result, rlen);
    free(result);
    return rc;
}
