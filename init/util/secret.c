/* secret.c - secret variables: NAME or NAME_FILE (file content, one trailing newline removed).
 * Values are never logged; errors name the variable and the file only. */
#include "util/secret.h"

#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_NAMES_MAX 16
#define SECRET_NAME_MAX 128 /* with the NUL */

/* The variables read as secrets so far, for secret_scrub_env(). */
static char secret_names[SECRET_NAMES_MAX][SECRET_NAME_MAX];
static int secret_count;

static void remember(const char *name)
{
    for (int i = 0; i < secret_count; i++) {
        if (strcmp(secret_names[i], name) == 0)
            return;
    }
    if (secret_count == SECRET_NAMES_MAX || strlen(name) >= SECRET_NAME_MAX) {
        log_warn("too many secret variables to keep out of the child's environment", "variable=%s",
                 name);
        return;
    }
    memcpy(secret_names[secret_count++], name, strlen(name) + 1);
}

void secret_scrub_env(void)
{
    char file_var[SECRET_NAME_MAX + 8];
    for (int i = 0; i < secret_count; i++) {
        snprintf(file_var, sizeof file_var, "%.127s_FILE", secret_names[i]);
        unsetenv(secret_names[i]);
        unsetenv(file_var);
    }
}

/* Reads PATH into BUF (NUL-terminated). 0, or -1 with a reason in WHY. */
static int read_secret_file(const char *path, char *buf, size_t len, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return -1;
    }
    size_t n = fread(buf, 1, len, f);
    int more = n == len && fgetc(f) != EOF;
    int err = ferror(f);
    fclose(f);
    if (err) {
        *why = "read error";
        return -1;
    }
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    if (more || n == len) {
        *why = "value too long";
        return -1;
    }
    if (memchr(buf, '\0', n)) {
        *why = "file holds a NUL byte";
        return -1;
    }
    buf[n] = '\0';
    return 0;
}

int secret_get(const char *name, char *buf, size_t len)
{
    char file_var[256];
    snprintf(file_var, sizeof file_var, "%s_FILE", name);
    remember(name);
    const char *v = getenv(name);
    const char *path = getenv(file_var);
    if (v && path) {
        log_error("both a secret and its file are set; set only one",
                  "variable=%s file_variable=%s", name, file_var);
        return -1;
    }
    if (v) {
        if (strlen(v) >= len) {
            log_error("secret value too long", "variable=%s max=%zu", name, len - 1);
            return -1;
        }
        memcpy(buf, v, strlen(v) + 1);
        return 1;
    }
    if (!path)
        return 0;
    const char *why = "";
    if (!*path || read_secret_file(path, buf, len, &why) != 0) {
        log_error("cannot read the secret file", "variable=%s file=\"%s\" error=\"%s\"", file_var,
                  path, *path ? why : "empty path");
        buf[0] = '\0';
        return -1;
    }
    return 1;
}
