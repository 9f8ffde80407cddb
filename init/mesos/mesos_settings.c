/* mesos_settings.c - the settings list of the Mesos and Marathon roles and the pure helpers the
 * flag files and the derived defaults share (see mesos_settings.h). */
#include "mesos/mesos_settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the settings list ---- */

void settings_free(struct settings *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].value);
        free(s->v[i].origin);
    }
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static struct setting *find_mut(const struct settings *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->v[i].name, name) == 0)
            return &s->v[i];
    }
    return NULL;
}

const struct setting *settings_find(const struct settings *s, const char *name)
{
    return find_mut(s, name);
}

const char *settings_value(const struct settings *s, const char *name)
{
    const struct setting *e = settings_find(s, name);
    return e ? e->value : NULL;
}

int settings_put(struct settings *s, const char *name, const char *value, int src,
                 const char *origin)
{
    struct setting *e = find_mut(s, name);
    if (e && e->src > src)
        return 0;
    char *v = strdup(value), *o = strdup(origin);
    if (!v || !o) {
        free(v);
        free(o);
        return -1;
    }
    if (!e) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            struct setting *grown = realloc(s->v, cap * sizeof *grown);
            if (!grown) {
                free(v);
                free(o);
                return -1;
            }
            s->v = grown;
            s->cap = cap;
        }
        e = &s->v[s->n];
        e->name = strdup(name);
        if (!e->name) {
            free(v);
            free(o);
            return -1;
        }
        s->n++;
    } else {
        free(e->value);
        free(e->origin);
    }
    e->value = v;
    e->origin = o;
    e->src = src;
    return 0;
}

/* ---- pure helpers ---- */

int flag_env_name(const char *prefix, const char *flag, char *out, size_t len)
{
    size_t pl = strlen(prefix), fl = strlen(flag);
    if (fl == 0 || pl + fl + 1 > len)
        return -1;
    memcpy(out, prefix, pl);
    for (size_t i = 0; i < fl; i++) {
        char c = flag[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (c == '-')
            c = '_';
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return -1;
        out[pl + i] = c;
    }
    out[pl + fl] = '\0';
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int flag_file_value(char *buf, size_t len, char sep, const char **why)
{
    size_t out = 0, lines = 0;
    if (memchr(buf, '\0', len)) {
        *why = "the value holds a NUL byte";
        return -1;
    }
    buf[len] = '\0';
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && buf[end] != '\n')
            end++;
        size_t a = i, b = end;
        while (a < b && is_blank(buf[a]))
            a++;
        while (b > a && is_blank(buf[b - 1]))
            b--;
        if (b > a) {
            if (lines > 0 && !sep) {
                *why = "the value has more than one line";
                return -1;
            }
            if (lines > 0)
                buf[out++] = sep;
            memmove(buf + out, buf + a, b - a);
            out += b - a;
            lines++;
        }
        i = end + 1;
    }
    buf[out] = '\0';
    return 0;
}

const char *mesos_role_prefix(enum mesos_role role)
{
    return role == ROLE_MARATHON ? "MARATHON_" : "MESOS_";
}

const char *envp_get(char **envp, const char *name)
{
    size_t n = strlen(name);
    for (char **e = envp; e && *e; e++) {
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    }
    return NULL;
}
