/* render.c - template rendering: ${VAR}, ${VAR:-default}, ${VAR:?message}, $$ (pure).
 * Defaults and messages may hold further ${...}; they are expanded only when used. Values are
 * never re-expanded, and a looked-up value holding a newline is refused (it would inject lines). */
#include "tools/render.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_MAX_DEPTH 16
#define RENDER_NAME_MAX 128

struct rbuf {
    char *p;
    size_t len, cap;
};

struct rctx {
    const char *text;
    size_t len;
    const char *origin;
    render_lookup_fn lookup;
    void *ctx;
    char *err;
    size_t errlen;
};

static int rbuf_add(struct rbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static int line_at(const struct rctx *c, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos && i < c->len; i++)
        line += c->text[i] == '\n';
    return line;
}

__attribute__((format(printf, 3, 4))) static int fail(const struct rctx *c, size_t pos,
                                                      const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    /* clang-tidy 14 misreports this when it analyses several files in one run. */
    vsnprintf(msg, sizeof msg, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap);
    if (c->err && c->errlen)
        snprintf(c->err, c->errlen, "%s:%d: %s", c->origin ? c->origin : "template",
                 line_at(c, pos), msg);
    return -1;
}

static int expand(const struct rctx *c, size_t *pos, int in_word, int depth, int dry,
                  struct rbuf *out);

static int add_value(const struct rctx *c, size_t start, const char *name, const char *v,
                     struct rbuf *out)
{
    if (strpbrk(v, "\n\r"))
        return fail(c, start, "the value of %s holds a newline; refused (it would add lines)",
                    name);
    if (rbuf_add(out, v, strlen(v)) != 0)
        return fail(c, start, "out of memory");
    return 0;
}

/* Expands one ${...} starting at *POS (the '$'); *POS ends after its '}'. */
static int expand_var(const struct rctx *c, size_t *pos, int depth, int dry, struct rbuf *out)
{
    size_t start = *pos, p = start + 2;
    char name[RENDER_NAME_MAX];
    size_t n = 0;
    if (p < c->len && (isalpha((unsigned char)c->text[p]) || c->text[p] == '_')) {
        while (p < c->len && (isalnum((unsigned char)c->text[p]) || c->text[p] == '_')) {
            if (n + 1 >= sizeof name)
                return fail(c, start, "variable name too long");
            name[n++] = c->text[p++];
        }
    }
    name[n] = '\0';
    if (p >= c->len)
        return fail(c, start, "unterminated ${ (missing })");
    if (n == 0)
        return fail(c, start, "bad variable name after ${ (use letters, digits and _)");
    const char *v = dry ? "" : c->lookup(name, c->ctx);
    if (c->text[p] == '}') {
        *pos = p + 1;
        if (dry)
            return 0;
        if (!v)
            return fail(c, start, "undefined variable %s (set it, or use ${%s:-default})", name,
                        name);
        return add_value(c, start, name, v, out);
    }
    if (!strchr(":-?+=", c->text[p]))
        return fail(c, start, "unterminated ${%s (missing })", name);
    if (c->text[p] != ':' || p + 1 >= c->len || (c->text[p + 1] != '-' && c->text[p + 1] != '?'))
        return fail(c, start, "bad expression after ${%s (expected }, :- or :?)", name);
    if (depth >= RENDER_MAX_DEPTH)
        return fail(c, start, "${...} nested too deeply");
    char op = c->text[p + 1];
    *pos = p + 2;
    int set = !dry && v && *v;
    struct rbuf word = {0};
    /* The word is expanded only when it is used; otherwise it is only checked. */
    int rc = expand(c, pos, 1, depth + 1, dry || set, &word);
    if (rc == 0 && !dry) {
        if (set)
            rc = add_value(c, start, name, v, out);
        else if (op == '-')
            rc = rbuf_add(out, word.p ? word.p : "", word.len) == 0
                     ? 0
                     : fail(c, start, "out of memory");
        else
            rc = fail(c, start, "%s: %s", name,
                      word.len ? word.p : "is not set (it must be set and not empty)");
    }
    free(word.p);
    return rc;
}

/* Expands from *POS to the end, or with IN_WORD up to and past the '}' closing a ${...}. */
static int expand(const struct rctx *c, size_t *pos, int in_word, int depth, int dry,
                  struct rbuf *out)
{
    size_t open = *pos >= 2 ? *pos - 2 : 0;
    while (*pos < c->len) {
        const char ch = c->text[*pos];
        if (in_word && ch == '}') {
            (*pos)++;
            return 0;
        }
        if (ch == '$' && *pos + 1 < c->len && c->text[*pos + 1] == '{') {
            if (expand_var(c, pos, depth, dry, out) != 0)
                return -1;
            continue;
        }
        size_t skip = ch == '$' && *pos + 1 < c->len && c->text[*pos + 1] == '$' ? 2 : 1;
        if (!dry && rbuf_add(out, &c->text[*pos], 1) != 0)
            return fail(c, *pos, "out of memory");
        *pos += skip;
    }
    if (in_word)
        return fail(c, open, "unterminated ${ (missing })");
    return 0;
}

int render_template(const char *text, size_t len, const char *origin, render_lookup_fn lookup,
                    void *ctx, char **out, size_t *outlen, char *err, size_t errlen)
{
    const struct rctx c = {text, len, origin, lookup, ctx, err, errlen};
    struct rbuf b = {0};
    size_t pos = 0;
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (expand(&c, &pos, 0, 0, 0, &b) != 0 || rbuf_add(&b, "", 0) != 0) {
        free(b.p);
        return -1;
    }
    *out = b.p;
    if (outlen)
        *outlen = b.len;
    return 0;
}
