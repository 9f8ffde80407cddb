/* zk_jaas.c - Bitnami's ZOO_ENABLE_AUTH as a JAAS file (see zk_jaas.h). */
#include "zookeeper/zk_jaas.h"

#include "util/atomicfile.h"
#include "util/env.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/secret.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEPS ",; \t\r\n"
#define LOGIN_MODULE "org.apache.zookeeper.server.auth.DigestLoginModule required"
#define JAAS_MAX 16384

/* A value inside a JAAS quoted string: no quote, backslash or control character. */
static int quotable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\' || (unsigned char)s[i] < 0x20)
            return 0;
    }
    return n > 0;
}

static int put(char *out, size_t len, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int put(char *out, size_t len, size_t *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *o, len - *o, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= len - *o)
        return -1;
    *o += (size_t)n;
    return 0;
}

static int server_section(const char *users, const char *passwords, char *out, size_t len,
                          size_t *o, char *err, size_t errlen)
{
    const char *u = users, *p = passwords;
    int n = 0;
    if (put(out, len, o, "Server {\n  %s", LOGIN_MODULE) != 0)
        return parse_fail(err, errlen, "%s", "too long");
    for (;;) {
        u += strspn(u, SEPS);
        p += strspn(p, SEPS);
        size_t ul = strcspn(u, SEPS), pl = strcspn(p, SEPS);
        if (!ul && !pl)
            break;
        if (!ul || !pl)
            return parse_fail(err, errlen, "%s", "as many passwords as users are needed");
        if (!quotable(u, ul) || !quotable(p, pl))
            return parse_fail(err, errlen, "user %d: no quotes, backslashes or control characters",
                              n + 1);
        if (put(out, len, o, "\n  user_%.*s=\"%.*s\"", (int)ul, u, (int)pl, p) != 0)
            return parse_fail(err, errlen, "%s", "too long");
        u += ul;
        p += pl;
        n++;
    }
    if (!n)
        return parse_fail(err, errlen, "%s", "no users");
    return put(out, len, o, ";\n};\n") == 0 ? 0 : parse_fail(err, errlen, "%s", "too long");
}

int zk_jaas_render(const char *users, const char *passwords, const char *client_user,
                   const char *client_password, char *out, size_t len, char *err, size_t errlen)
{
    size_t o = 0;
    out[0] = '\0';
    if (server_section(users ? users : "", passwords ? passwords : "", out, len, &o, err, errlen) !=
        0)
        return -1;
    if (!client_user)
        return 0;
    if (!quotable(client_user, strlen(client_user)) || !client_password ||
        !quotable(client_password, strlen(client_password)))
        return parse_fail(err, errlen, "%s",
                          "the client user needs a password; no quotes, backslashes or control "
                          "characters");
    if (put(out, len, &o, "Client {\n  %s\n  username=\"%s\"\n  password=\"%s\";\n};\n",
            LOGIN_MODULE, client_user, client_password) != 0)
        return parse_fail(err, errlen, "%s", "too long");
    return 0;
}

static char server_passwords[4096], client_password[512];

static int read_secrets(int *have_client)
{
    int rc = secret_get("ZOO_SERVER_PASSWORDS", server_passwords, sizeof server_passwords);
    int rc2 = secret_get("ZOO_CLIENT_PASSWORD", client_password, sizeof client_password);
    unsetenv("ZOO_SERVER_PASSWORDS");
    unsetenv("ZOO_CLIENT_PASSWORD");
    *have_client = rc2 == 1;
    return rc < 0 || rc2 < 0 ? EXIT_USAGE : 0;
}

static int write_jaas(const char *path, const char *users, const char *client_user)
{
    char *text = malloc(JAAS_MAX), err[160];
    int rc = 0;
    if (!text)
        return EXIT_INTERNAL;
    if (zk_jaas_render(users, server_passwords, client_user, client_password, text, JAAS_MAX, err,
                       sizeof err) != 0) {
        log_error("bad environment value",
                  "variable=ZOO_SERVER_USERS/ZOO_SERVER_PASSWORDS/ZOO_CLIENT_USER problem=\"%s\"",
                  err);
        rc = EXIT_USAGE;
    } else if (atomic_write_file(path, text, strlen(text), 0600) != 0) {
        log_error("cannot write file", "file=\"%s\" error=\"%s\"", path, strerror(errno));
        rc = EXIT_CONFIG;
    }
    memset(text, 0, JAAS_MAX);
    free(text);
    return rc;
}

int zk_jaas_setup(const char *data_dir, int *enabled)
{
    char path[4096], flags[8192];
    int have_client = 0;
    if (env_bool("ZOO_ENABLE_AUTH", 0, enabled) != 0)
        return EXIT_USAGE;
    int rc = read_secrets(&have_client);
    if (rc != 0 || !*enabled)
        return rc;
    const char *users = getenv("ZOO_SERVER_USERS");
    const char *client_user = getenv("ZOO_CLIENT_USER");
    if (client_user && !*client_user)
        client_user = NULL;
    snprintf(path, sizeof path, "%s/.zkinit-jaas.conf", data_dir);
    if ((rc = write_jaas(path, users, client_user)) != 0)
        return rc;
    memset(server_passwords, 0, sizeof server_passwords);
    memset(client_password, 0, sizeof client_password);
    const char *old = getenv("SERVER_JVMFLAGS");
    snprintf(flags, sizeof flags, "-Djava.security.auth.login.config=%s%s%s", path,
             old && *old ? " " : "", old ? old : "");
    setenv("SERVER_JVMFLAGS", flags, 1);
    log_info("SASL digest authentication on (ZOO_ENABLE_AUTH)", "file=\"%s\"", path);
    return 0;
}
