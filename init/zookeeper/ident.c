/* ident.c - this node's ZooKeeper identity: server id (1..255) and address, in SPEC.md's order:
 * MYID, ZOO_MY_ID, etcd (allocated race-free: ident_etcd.c), host-name ordinal, myid file,
 * default 1. */
#include "zookeeper/ident.h"

#include "etcd/ident_etcd.h"
#include "util/addr.h"
#include "util/env.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ID_MAX 255

/* A whole decimal id in 1..255. 0 or -1. */
static int parse_id(const char *s, int *id)
{
    long v;
    if (parse_long(s, 1, ID_MAX, &v) != 0)
        return -1;
    *id = (int)v;
    return 0;
}

static int id_from_env(const char *name, int *id, int *set)
{
    const char *v = getenv(name);
    *set = v != NULL;
    if (!v)
        return 0;
    if (parse_id(v, id) != 0) {
        log_error("bad environment value",
                  "variable=%s value=\"%.40s\" hint=\"use a whole number from 1 to 255\"", name, v);
        return EXIT_USAGE;
    }
    return 0;
}

/* Pure: "zk-0" -> 1, "name-N" -> N+1 (the last '-' separated part). 0, or -1. */
int ident_hostname_ordinal(const char *host, int *id)
{
    const char *dash = strrchr(host, '-');
    if (!dash || dash == host)
        return -1;
    long n;
    if (parse_long(dash + 1, 0, ID_MAX - 1, &n) != 0 || dash[1] == '-')
        return -1;
    *id = (int)n + 1;
    return 0;
}

static int id_from_hostname(int *id, int *set)
{
    int on;
    *set = 0;
    if (env_bool("ZOO_ID_FROM_HOSTNAME", 0, &on) != 0)
        return EXIT_USAGE;
    if (!on)
        return 0;
    char host[256];
    if (gethostname(host, sizeof host) != 0) {
        log_error("cannot read the host name", "error=\"%s\"", strerror(errno));
        return EXIT_INTERNAL;
    }
    host[sizeof host - 1] = '\0';
    char *dot = strchr(host, '.');
    if (dot)
        *dot = '\0';
    if (ident_hostname_ordinal(host, id) != 0) {
        log_error("the host name has no ordinal (NAME-N, N from 0 to 254)",
                  "hostname=\"%s\" variable=ZOO_ID_FROM_HOSTNAME hint=\"unset "
                  "ZOO_ID_FROM_HOSTNAME or set MYID\"",
                  host);
        return EXIT_USAGE;
    }
    *set = 1;
    return 0;
}

/* Pure: the content of a myid file: digits, optional surrounding blanks/newline. 0, or -1. */
int ident_parse_myid(const char *text, int *id)
{
    char buf[32];
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
        text++;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' ||
                     text[n - 1] == '\r'))
        n--;
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return parse_id(buf, id);
}

int ident_read_myid(const char *data_dir, char *path, size_t plen, int *id, int *set)
{
    *set = 0;
    if (!data_dir || !*data_dir)
        return 0;
    snprintf(path, plen, "%s/myid", data_dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        log_error("cannot read the myid file", "file=\"%s\" error=\"%s\"", path, strerror(errno));
        return EXIT_CONFIG;
    }
    char buf[64];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (memchr(buf, '\0', n) || ident_parse_myid(buf, id) != 0) {
        log_error("bad myid file",
                  "file=\"%s\" hint=\"it must hold one number from 1 to 255; "
                  "fix or remove it\"",
                  path);
        return EXIT_CONFIG;
    }
    *set = 1;
    return 0;
}

/* ------------------------------------------------------------------ etcd */

/* The stable node name: ZOO_NODE_NAME, else (only when HOST_IP is unset: several servers that
 * share a host set it, and share its name) a host name that is not a random container id. */
static int node_name(char *out, size_t len)
{
    const char *v = getenv("ZOO_NODE_NAME");
    out[0] = '\0';
    if (v && *v) {
        if (!ident_name_ok(v)) {
            log_error("bad environment value",
                      "variable=ZOO_NODE_NAME value=\"%.70s\" hint=\"use 1 to 63 letters, digits, "
                      "'.', '-' or '_' (not an address), unique per server\"",
                      v);
            return EXIT_USAGE;
        }
        snprintf(out, len, "%s", v);
        return 0;
    }
    char host[256];
    if (getenv("HOST_IP") || gethostname(host, sizeof host) != 0)
        return 0;
    host[sizeof host - 1] = '\0';
    if (ident_name_ok(host) && !ident_hostname_is_random(host) && strcmp(host, "localhost") != 0)
        snprintf(out, len, "%.63s", host);
    return 0;
}

static int id_from_etcd(struct identity *me, int preferred, int *id, int *set)
{
    char name[IDENT_ADDR_MAX];
    long port;
    *set = 0;
    int rc = node_name(name, sizeof name);
    if (rc != 0 || env_long("ZOO_CLIENT_PORT", 1, 65535, 2181, &port) != 0)
        return rc ? rc : EXIT_USAGE;
    struct ident_request rq = {me->address, name, port, preferred, preferred > 0};
    struct ident_grant *g = calloc(1, sizeof *g);
    if (!g)
        return EXIT_INTERNAL;
    rc = ident_etcd_allocate(&rq, g);
    if (rc == EXIT_UNAVAILABLE && preferred > 0) {
        log_warn("etcd unreachable; using the myid file's id (local state decides the start)",
                 "endpoints=\"%s\" id=%d hint=\"check ETCD_ENDPOINTS and that etcd runs\"",
                 g->endpoints, preferred);
        *id = preferred;
        *set = 1;
        me->source = "myid-file:etcd-unreachable";
        rc = 0;
    } else if (rc == 0 && g->set) {
        *id = g->id;
        *set = 1;
        me->source = "etcd";
        snprintf(me->etcd_key, sizeof me->etcd_key, "%s", g->key);
        snprintf(me->moved_from, sizeof me->moved_from, "%s", g->moved_from);
    }
    free(g);
    return rc;
}

/* ------------------------------------------------------------------ resolution */

int ident_resolve(const char *data_dir, struct identity *out)
{
    memset(out, 0, sizeof *out);
    int rc = addr_detect(out->address, sizeof out->address);
    if (rc != 0)
        return rc;
    int id = 0, set = 0, file_id = 0, file_set = 0;
    char path[4096] = "";
    /* Bad values are errors even when an earlier source wins. */
    int myid = 0, myid_set = 0, zoo = 0, zoo_set = 0;
    if ((rc = id_from_env("MYID", &myid, &myid_set)) != 0 ||
        (rc = id_from_env("ZOO_MY_ID", &zoo, &zoo_set)) != 0 ||
        (rc = ident_read_myid(data_dir, path, sizeof path, &file_id, &file_set)) != 0)
        return rc;
    if (myid_set) {
        id = myid;
        out->source = "MYID";
    } else if (zoo_set) {
        id = zoo;
        out->source = "ZOO_MY_ID";
    } else {
        if ((rc = id_from_etcd(out, file_set ? file_id : 0, &id, &set)) != 0)
            return rc;
        if (!set) {
            if ((rc = id_from_hostname(&id, &set)) != 0)
                return rc;
            if (set)
                out->source = "hostname";
            else if (file_set)
                out->source = "myid-file", id = file_id;
            else
                out->source = "default", id = 1;
        }
    }
    if (file_set && file_id != id) {
        log_error("the myid file disagrees with this node's id; refusing to start",
                  "file=\"%s\" file_id=%d id=%d source=%s hint=\"remove the file if the data "
                  "belongs to another server, or set the id to %d\"",
                  path, file_id, id, out->source, file_id);
        return EXIT_CONFIG;
    }
    out->id = id;
    return 0;
}
