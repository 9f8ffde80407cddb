/* test_render.c - template rendering: expansions, defaults, errors naming file:line. */
#include "unit.h"

#include "tools/render.h"

#include <stdlib.h>

static const char *fake_env(const char *name, void *ctx)
{
    (void)ctx;
    static const char *const vars[][2] = {
        {"A", "alpha"}, {"EMPTY", ""}, {"NL", "x\ny"},
        {"CR", "x\ry"}, {"N_1", "n1"}, {"DOLLAR", "$B ${A}"},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        if (strcmp(vars[i][0], name) == 0)
            return vars[i][1];
    }
    return NULL;
}

static int rend(const char *text, char **out, char *err)
{
    size_t len;
    return render_template(text, strlen(text), "t.cfg", fake_env, NULL, out, &len, err, 256);
}

#define OK(tmpl, want)                                                                             \
    do {                                                                                           \
        char *o_ = NULL, e_[256];                                                                  \
        CHECK_INT(rend(tmpl, &o_, e_), 0);                                                         \
        CHECK_STR(o_, want);                                                                       \
        free(o_);                                                                                  \
    } while (0)

#define BAD(tmpl, want_err)                                                                        \
    do {                                                                                           \
        char *o_ = (char *)1, e_[256];                                                             \
        CHECK_INT(rend(tmpl, &o_, e_), -1);                                                        \
        CHECK(o_ == NULL);                                                                         \
        CHECK_STR(e_, want_err);                                                                   \
    } while (0)

TEST(render_plain_and_vars)
{
    OK("", "");
    OK("no vars\n", "no vars\n");
    OK("${A}", "alpha");
    OK("x=${A}-${N_1}\n", "x=alpha-n1\n");
    OK("${EMPTY}", "");
    OK("$$", "$");
    OK("$${A}", "${A}");
    OK("cost $5 and $HOME and $", "cost $5 and $HOME and $");
    OK("a } b", "a } b");
    /* values are not re-expanded */
    OK("${DOLLAR}", "$B ${A}");
}

TEST(render_defaults)
{
    OK("${UNSET:-def}", "def");
    OK("${EMPTY:-def}", "def");
    OK("${A:-def}", "alpha");
    OK("${UNSET:-}", "");
    OK("${UNSET:-${A}/x}", "alpha/x");
    OK("${UNSET:-${ALSO_UNSET:-deep}}", "deep");
    OK("${UNSET:-a$$b}", "a$b");
    /* an unused default is not evaluated (its undefined variable is no error) */
    OK("${A:-${UNSET}}", "alpha");
    OK("${A:?must be set}", "alpha");
    OK("${UNSET:-multi\nline}", "multi\nline");
}

TEST(render_errors_name_file_line_and_variable)
{
    BAD("${UNSET}", "t.cfg:1: undefined variable UNSET (set it, or use ${UNSET:-default})");
    BAD("a\nb\nc=${UNSET}\n",
        "t.cfg:3: undefined variable UNSET (set it, or use ${UNSET:-default})");
    BAD("x\n${UNSET:?set UNSET to the port}", "t.cfg:2: UNSET: set UNSET to the port");
    BAD("${EMPTY:?}", "t.cfg:1: EMPTY: is not set (it must be set and not empty)");
    BAD("ok\n${A", "t.cfg:2: unterminated ${ (missing })");
    BAD("${", "t.cfg:1: unterminated ${ (missing })");
    BAD("${UNSET:-abc", "t.cfg:1: unterminated ${ (missing })");
    BAD("${1A}", "t.cfg:1: bad variable name after ${ (use letters, digits and _)");
    BAD("${}", "t.cfg:1: bad variable name after ${ (use letters, digits and _)");
    BAD("${A-x}", "t.cfg:1: bad expression after ${A (expected }, :- or :?)");
    BAD("${A:+x}", "t.cfg:1: bad expression after ${A (expected }, :- or :?)");
    BAD("k=${NL}", "t.cfg:1: the value of NL holds a newline; refused (it would add lines)");
    BAD("k=${CR}", "t.cfg:1: the value of CR holds a newline; refused (it would add lines)");
    BAD("${UNSET:-${NL}}",
        "t.cfg:1: the value of NL holds a newline; refused (it would add lines)");
    BAD("${A:-${UNSET}", "t.cfg:1: unterminated ${ (missing })");
}

TEST(render_nesting_limit)
{
    char t[512] = "";
    for (int i = 0; i < 20; i++)
        strcat(t, "${U:-");
    for (int i = 0; i < 20; i++)
        strcat(t, "}");
    char *o = NULL, e[256];
    CHECK_INT(rend(t, &o, e), -1);
    CHECK(strstr(e, "nested too deeply") != NULL);
}

TEST(render_binary_length)
{
    const char text[] = "a\0${A}";
    char *o = NULL, e[256];
    size_t len = 0;
    CHECK_INT(render_template(text, sizeof text - 1, "b", fake_env, NULL, &o, &len, e, sizeof e),
              0);
    CHECK_INT(len, 7);
    CHECK(o && memcmp(o, "a\0alpha", 7) == 0);
    free(o);
}

TEST(render_unterminated_after_name)
{
    BAD("x\nport=${PORT\n", "t.cfg:2: unterminated ${PORT (missing })");
    BAD("${A B}", "t.cfg:1: unterminated ${A (missing })");
}
