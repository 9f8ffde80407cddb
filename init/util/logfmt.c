/* logfmt.c - printf-style formatting of logfmt values, each argument escaped (see logfmt.h). */
#include "util/logfmt.h"

#include "util/redact.h"

#include <stdio.h>
#include <string.h>

#define VALUE_MAX 2048 /* a longer string argument is cut: a log line is 2 KiB at most */

/* One conversion specification: "%-08.3ld" split into its parts. */
struct spec {
    char text[32]; /* the specification itself, with '*' replaced by the numbers */
    char length[3];
    char conv;
    int precision; /* -1 = none */
};

static int is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

static size_t put_escape(char *buf, size_t pos, size_t cap, const char *esc, size_t n)
{
    if (pos + n >= cap)
        return cap; /* does not fit: the caller stops */
    memcpy(buf + pos, esc, n);
    return pos + n;
}

/* Appends S escaped: control bytes always, quotes and backslashes when QUOTES. */
static size_t put_escaped(char *buf, size_t pos, size_t cap, const char *s, size_t n, int quotes)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[4] = {'\\', (char)c, 0, 0};
        size_t len = 2, next;
        if (c == '\n' || c == '\r' || c == '\t')
            esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        else if (is_control(c)) {
            esc[1] = 'x';
            esc[2] = hex[c >> 4];
            esc[3] = hex[c & 15];
            len = 4;
        } else if (!quotes || (c != '"' && c != '\\')) {
            esc[0] = (char)c;
            len = 1;
        }
        next = put_escape(buf, pos, cap, esc, len);
        if (next == cap)
            return pos;
        pos = next;
    }
    return pos;
}

size_t logfmt_put_quoted(char *buf, size_t pos, size_t cap, const char *s, size_t n)
{
    return put_escaped(buf, pos, cap, s, n, 1);
}

static int needs_quotes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '=' || c == '"' || is_control(c))
            return 1;
    }
    return 0;
}

enum place { IN_QUOTES, BARE_VALUE, FRAGMENT };

/* Appends one converted value at PLACE: inside quotes of the format (key="%s"), right after a
 * key (key=%s: quoted when it needs it), or elsewhere, a fragment of the format's own text
 * (key=%d%s with " other=x"): control bytes escaped only. */
static size_t put_value(char *buf, size_t pos, size_t cap, const char *s, size_t n,
                        enum place place)
{
    if (place == IN_QUOTES)
        return logfmt_put_quoted(buf, pos, cap, s, n);
    if (place == FRAGMENT || !needs_quotes(s, n))
        return put_escaped(buf, pos, cap, s, n, 0);
    if (pos + 2 >= cap)
        return pos;
    buf[pos++] = '"';
    pos = logfmt_put_quoted(buf, pos, cap - 1, s, n);
    buf[pos++] = '"';
    return pos;
}

/* Appends an int taken from a '*' to SP's text. */
static void spec_add_number(struct spec *sp, size_t *len, int v)
{
    int w = snprintf(sp->text + *len, sizeof sp->text - *len, "%d", v);
    if (w > 0 && (size_t)w < sizeof sp->text - *len)
        *len += (size_t)w;
}

/* Parses the specification at *FMT (just after '%'), consuming '*' arguments from AP. Returns 0, or
 * -1 when it is not one this formatter knows (it is then copied as text). */
static int parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
    const char *p = *fmt;
    size_t len = 0;
    memset(sp, 0, sizeof *sp);
    sp->precision = -1;
    sp->text[len++] = '%';
    while (*p && strchr("-+ #0", *p) && len < 8)
        sp->text[len++] = *p++;
    if (*p == '*') {
        spec_add_number(sp, &len, va_arg(*ap, int));
        p++;
    }
    while (*p >= '0' && *p <= '9' && len < 16)
        sp->text[len++] = *p++;
    if (*p == '.') {
        sp->text[len++] = *p++;
        sp->precision = 0;
        if (*p == '*') {
            sp->precision = va_arg(*ap, int);
            spec_add_number(sp, &len, sp->precision);
            p++;
        }
        for (; *p >= '0' && *p <= '9' && len < 24; p++) {
            sp->text[len++] = *p;
            sp->precision = sp->precision * 10 + (*p - '0');
        }
    }
    for (size_t l = 0; *p && strchr("hlzjtL", *p) && l < 2; l++) {
        sp->length[l] = *p;
        sp->text[len++] = *p++;
    }
    if (!*p || !strchr("diouxXcspfFeEgGaA", *p))
        return -1;
    sp->conv = *p;
    sp->text[len++] = *p++;
    sp->text[len] = '\0';
    *fmt = p;
    return 0;
}

/* vsnprintf of one argument with the specification's own text as format. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int is_word_length(const char *l)
{
    return strcmp(l, "z") == 0 || strcmp(l, "t") == 0 || strcmp(l, "j") == 0; /* 64 bits */
}

static int format_signed(char *out, size_t len, const struct spec *sp, va_list *ap)
{
    if (strcmp(sp->length, "ll") == 0)
        return snprintf(out, len, sp->text, va_arg(*ap, long long));
    if (strcmp(sp->length, "l") == 0 || is_word_length(sp->length))
        return snprintf(out, len, sp->text, va_arg(*ap, long));
    return snprintf(out, len, sp->text, va_arg(*ap, int));
}

static int format_unsigned(char *out, size_t len, const struct spec *sp, va_list *ap)
{
    if (strcmp(sp->length, "ll") == 0)
        return snprintf(out, len, sp->text, va_arg(*ap, unsigned long long));
    if (strcmp(sp->length, "l") == 0 || is_word_length(sp->length))
        return snprintf(out, len, sp->text, va_arg(*ap, unsigned long));
    return snprintf(out, len, sp->text, va_arg(*ap, unsigned));
}

static int format_float(char *out, size_t len, const struct spec *sp, va_list *ap)
{
    if (strcmp(sp->length, "L") == 0)
        return snprintf(out, len, sp->text, va_arg(*ap, long double));
    return snprintf(out, len, sp->text, va_arg(*ap, double));
}

static int format_scalar(char *out, size_t len, const struct spec *sp, va_list *ap)
{
    if (sp->conv == 'p')
        return snprintf(out, len, sp->text, va_arg(*ap, void *));
    if (sp->conv == 'd' || sp->conv == 'i' || sp->conv == 'c')
        return format_signed(out, len, sp, ap); /* %c: an int */
    if (strchr("fFeEgGaA", sp->conv))
        return format_float(out, len, sp, ap);
    return format_unsigned(out, len, sp, ap);
}
#pragma GCC diagnostic pop

/* A string argument: credentials of URLs masked first, then the precision applied. */
static size_t put_string(char *buf, size_t pos, size_t cap, const struct spec *sp, va_list *ap,
                         enum place place)
{
    const char *s = va_arg(*ap, const char *);
    char clean[VALUE_MAX];
    if (!s)
        s = "(null)";
    size_t n = redact_urls(s, strnlen(s, VALUE_MAX), clean, sizeof clean);
    if (sp->precision >= 0 && (size_t)sp->precision < n)
        n = (size_t)sp->precision;
    return put_value(buf, pos, cap, clean, n, place);
}

static size_t put_conversion(char *buf, size_t pos, size_t cap, const struct spec *sp, va_list *ap,
                             enum place place)
{
    char tmp[128];
    if (sp->conv == 's')
        return put_string(buf, pos, cap, sp, ap, place);
    int n = format_scalar(tmp, sizeof tmp, sp, ap);
    if (n < 0)
        return pos;
    return put_value(buf, pos, cap, tmp, strnlen(tmp, sizeof tmp), place);
}

size_t logfmt_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    size_t pos = 0;
    int quoted = 0;
    char prev = ' '; /* the format's character before a conversion */
    va_list args;
    if (cap == 0)
        return 0;
    va_copy(args, ap);
    while (*fmt && pos + 1 < cap) {
        struct spec sp;
        if (*fmt != '%' || fmt[1] == '%') {
            quoted ^= *fmt == '"';
            prev = *fmt;
            buf[pos++] = *fmt;
            fmt += *fmt == '%' ? 2 : 1;
            continue;
        }
        const char *start = fmt++;
        if (parse_spec(&fmt, &sp, &args) != 0) {
            fmt = start + 1; /* unknown: copied as it is */
            buf[pos++] = '%';
            continue;
        }
        pos = put_conversion(buf, pos, cap, &sp, &args,
                             quoted        ? IN_QUOTES
                             : prev == '=' ? BARE_VALUE
                                           : FRAGMENT);
        prev = sp.conv;
    }
    va_end(args);
    buf[pos] = '\0';
    return pos;
}

size_t logfmt_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = logfmt_vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
