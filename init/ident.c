/* ident.c - this node's ZooKeeper identity: server id (1..255) and address, in SPEC.md's order:
 * MYID, ZOO_MY_ID, etcd (allocated race-free), host-name ordinal, myid file, default 1. */
#include "ident.h"

#include "addr.h"
#include "etcd.h"
#include "exitcodes.h"
#include "log.h"
#include "parse.h"

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

/* Reads DATA_DIR/myid: 0 with *SET 0 when absent, 0 with *SET 1 and *ID, or 65 after logging. */
static int id_from_file(const char *data_dir, char *path, size_t plen, int *id, int *set)
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

/* ------------------------------------------------------------------ etcd allocation */

struct claims {
    char owner[ID_MAX + 1][IDENT_ADDR_MAX]; /* ids/<n> = ip ("" when free) */
    size_t plen;                            /* length of "<prefix>/ids/" */
};

static int collect_claim(const char *key, const char *value, void *arg)
{
    struct claims *cl = arg;
    int id;
    if (strlen(key) > cl->plen && parse_id(key + cl->plen, &id) == 0)
        snprintf(cl->owner[id], IDENT_ADDR_MAX, "%s", value);
    return 0;
}

/* Makes sure <prefix>/ids/<id> is ours (creates it if absent). 0 or an exit code. */
static int ensure_claim(struct etcd_client *c, const char *prefix, const char *ip, int id)
{
    char key[ETCD_PREFIX_MAX + 32], existing[ETCD_VALUE_MAX];
    snprintf(key, sizeof key, "%s/ids/%d", prefix, id);
    int created;
    int rc = etcd_create(c, key, ip, &created, existing, sizeof existing);
    if (rc != 0 || created || strcmp(existing, ip) == 0)
        return rc;
    log_error("etcd gives this node's id to another address",
              "key=\"%s\" value=\"%s\" id=%d "
              "address=%s hint=\"two nodes "
              "share an id; fix the keys\"",
              key, existing, id, ip);
    return EXIT_CONFIG;
}

/* Claims the smallest free id (PREFERRED first when > 0). 0 with *ID, or an exit code. */
static int claim_id(struct etcd_client *c, const char *prefix, const char *ip, int preferred,
                    int *id)
{
    struct claims *cl = calloc(1, sizeof *cl);
    if (!cl)
        return EXIT_INTERNAL;
    char key[ETCD_PREFIX_MAX + 32], existing[ETCD_VALUE_MAX];
    snprintf(key, sizeof key, "%s/ids/", prefix);
    cl->plen = strlen(key);
    int rc = etcd_list(c, key, collect_claim, cl);
    for (int n = 1; rc == 0 && n <= ID_MAX; n++) {
        if (strcmp(cl->owner[n], ip) == 0) { /* ours from an earlier, interrupted start */
            *id = n;
            goto out;
        }
    }
    for (int n = preferred > 0 ? preferred : 1; rc == 0 && n <= ID_MAX; n++) {
        if (cl->owner[n][0] && n != preferred)
            continue;
        snprintf(key, sizeof key, "%s/ids/%d", prefix, n);
        int created;
        rc = etcd_create(c, key, ip, &created, existing, sizeof existing);
        if (rc == 0 && (created || strcmp(existing, ip) == 0)) {
            *id = n;
            goto out;
        }
        if (rc == 0 && n == preferred) {
            log_error("the myid file's id belongs to another address in etcd",
                      "key=\"%s\" value=\"%s\" id=%d address=%s hint=\"remove the stale myid "
                      "file or the etcd key\"",
                      key, existing, n, ip);
            rc = EXIT_CONFIG;
        }
        log_debug("id taken, trying the next", "id=%d owner=%s", n, existing);
    }
    if (rc == 0) {
        log_error("no free ZooKeeper id in etcd (1..255 all claimed)",
                  "key=\"%s/ids/\" hint=\"delete the claims of nodes that are gone\"", prefix);
        rc = EXIT_CONFIG;
    }
out:
    free(cl);
    return rc;
}

static int etcd_value_id(const char *key, const char *value, int *id)
{
    if (parse_id(value, id) == 0)
        return 0;
    log_error("bad id in etcd",
              "key=\"%s\" value=\"%.40s\" hint=\"it must be a number from 1 to "
              "255; fix or delete the key\"",
              key, value);
    return EXIT_CONFIG;
}

/* Reuses <prefix>/nodes/<ip>/id, else claims an id and registers it. 0 or an exit code. */
static int etcd_allocate(struct etcd_client *c, const char *prefix, const char *ip, int preferred,
                         int *id)
{
    char node_key[ETCD_PREFIX_MAX + IDENT_ADDR_MAX + 16], val[ETCD_VALUE_MAX];
    snprintf(node_key, sizeof node_key, "%s/nodes/%s/id", prefix, ip);
    int found;
    int rc = etcd_get(c, node_key, val, sizeof val, &found);
    if (rc != 0)
        return rc;
    if (found) {
        rc = etcd_value_id(node_key, val, id);
        return rc ? rc : ensure_claim(c, prefix, ip, *id);
    }
    int claimed;
    rc = claim_id(c, prefix, ip, preferred, &claimed);
    if (rc != 0)
        return rc;
    char idtext[8];
    snprintf(idtext, sizeof idtext, "%d", claimed);
    int created;
    rc = etcd_create(c, node_key, idtext, &created, val, sizeof val);
    if (rc != 0)
        return rc;
    if (created || strcmp(val, idtext) == 0) {
        *id = claimed;
        return 0;
    }
    /* Another start with this address won: use its id, release our claim. */
    rc = etcd_value_id(node_key, val, id);
    if (rc != 0)
        return rc;
    char claim_key[ETCD_PREFIX_MAX + 32];
    snprintf(claim_key, sizeof claim_key, "%s/ids/%d", prefix, claimed);
    log_info("another start registered this address first; releasing our claim",
             "address=%s id=%d released=%d", ip, *id, claimed);
    rc = etcd_delete_if(c, claim_key, ip);
    return rc ? rc : ensure_claim(c, prefix, ip, *id);
}

/* The client for ETCD_ENDPOINTS: 0 with *C NULL when etcd is not configured, or an exit code. */
static int etcd_from_env(struct etcd_config *cfg, struct etcd_client **c)
{
    int enabled;
    *c = NULL;
    int rc = etcd_config_from_env(cfg, &enabled);
    if (rc != 0 || !enabled)
        return rc;
    *c = etcd_open(cfg);
    if (!*c) {
        log_error("cannot set up the etcd client", NULL);
        return EXIT_INTERNAL;
    }
    return 0;
}

static int id_from_etcd(const char *ip, int preferred, int *id, int *set)
{
    struct etcd_config cfg;
    struct etcd_client *c;
    *set = 0;
    int rc = etcd_from_env(&cfg, &c);
    if (rc != 0 || !c)
        return rc;
    rc = etcd_allocate(c, cfg.prefix, ip, preferred, id);
    if (rc == 0) {
        *set = 1;
        log_info("id from etcd", "id=%d address=%s api=%s prefix=%s", *id, ip, etcd_api_name(c),
                 cfg.prefix);
    }
    etcd_close(c);
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
        (rc = id_from_file(data_dir, path, sizeof path, &file_id, &file_set)) != 0)
        return rc;
    if (myid_set) {
        id = myid;
        out->source = "MYID";
    } else if (zoo_set) {
        id = zoo;
        out->source = "ZOO_MY_ID";
    } else {
        if ((rc = id_from_etcd(out->address, file_set ? file_id : 0, &id, &set)) != 0)
            return rc;
        if (set) {
            out->source = "etcd";
        } else {
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

/* ------------------------------------------------------------------ listing */

struct node_list {
    struct ident_node *nodes;
    int max, count;
    size_t plen; /* length of "<prefix>/nodes/" */
};

static int collect_node(const char *key, const char *value, void *arg)
{
    struct node_list *l = arg;
    const char *ip = key + l->plen;
    const char *slash = strchr(ip, '/');
    int id;
    if (strlen(key) <= l->plen || !slash || strcmp(slash, "/id") != 0 ||
        (size_t)(slash - ip) >= IDENT_ADDR_MAX)
        return 0;
    if (parse_id(value, &id) != 0) {
        log_warn("ignoring a bad id in etcd", "key=\"%s\"", key);
        return 0;
    }
    if (l->count == l->max)
        return 1;
    struct ident_node *n = &l->nodes[l->count++];
    n->id = id;
    snprintf(n->address, sizeof n->address, "%.*s", (int)(slash - ip), ip);
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const struct ident_node *x = a, *y = b;
    return x->id != y->id ? (x->id > y->id) - (x->id < y->id) : strcmp(x->address, y->address);
}

int ident_etcd_nodes(struct ident_node *nodes, int max, int *count)
{
    struct etcd_config cfg;
    struct etcd_client *c;
    *count = 0;
    int rc = etcd_from_env(&cfg, &c);
    if (rc != 0 || !c)
        return rc;
    char prefix[ETCD_PREFIX_MAX + 16];
    snprintf(prefix, sizeof prefix, "%s/nodes/", cfg.prefix);
    struct node_list l = {nodes, max, 0, strlen(prefix)};
    rc = etcd_list(c, prefix, collect_node, &l);
    etcd_close(c);
    if (rc != 0)
        return rc;
    qsort(nodes, (size_t)l.count, sizeof *nodes, by_id);
    *count = l.count;
    return 0;
}
