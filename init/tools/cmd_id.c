/* cmd_id.c - `zkinit id`: resolve (with etcd: allocate) this node's identity and print it as
 * one JSON line {"id":N,"address":"A","source":"..."}; `--nodes` lists the etcd registry (marking
 * claims without registrations and registrations without claims); `--release ID` removes a stale
 * claim (refused while the id is in the live ZooKeeper config, unless --force). */
#include "commands.h"
#include "etcd/etcd_config.h"
#include "etcd/ident_etcd.h"
#include "util/args.h"
#include "util/env.h"
#include "util/exitcodes.h"
#include "util/hostport.h"
#include "util/log.h"
#include "util/parse.h"
#include "zkclient/zk_child.h"
#include "zkclient/zk_client.h"
#include "zookeeper/ident.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_TIMEOUT_MS 10000

static void id_usage(FILE *f)
{
    fputs(
        "usage: zkinit id [--data-dir DIR] | zkinit id --nodes |\n"
        "       zkinit id --release ID [--force] [--zk HOST:PORT,...]\n"
        "Resolves this node's ZooKeeper id (MYID, ZOO_MY_ID, etcd, host-name ordinal, the myid\n"
        "file in DIR (default $ZOO_DATA_DIR, else /data), else 1) and its address, and prints\n"
        "{\"id\":N,\"address\":\"A\",\"source\":\"...\"}. With ETCD_ENDPOINTS the id is allocated\n"
        "in etcd (race-free, permanent), registered under ZOO_NODE_NAME (default: the host name\n"
        "when HOST_IP is unset and it is not a container id) or the address (and ZOO_CLIENT_PORT\n"
        "when not 2181). The myid file is read, never written.\n"
        "--nodes prints the etcd registry instead, one "
        "{\"id\":N,\"address\":\"A\",\"node\":\"K\"}\n"
        "per line; \"mark\" says \"claimed-unregistered\" (a claim without a registration),\n"
        "\"registered-unclaimed\" (the older layout) or \"conflict\" (the claim names another "
        "node).\n"
        "--release ID deletes the claim and registration of ID. It is refused while ID is in the\n"
        "live ZooKeeper config (read from --zk, default: the registered servers) or when that\n"
        "cannot be read; --force releases without asking ZooKeeper.\n",
        f);
}

static int print_json(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!s) {
        log_error("out of memory", NULL);
        return EXIT_INTERNAL;
    }
    int ok = printf("%s\n", s) > 0;
    cJSON_free(s);
    return ok ? 0 : EXIT_INTERNAL;
}

/* One --nodes line for id N: its registrations, or its claim alone. */
static int print_id(const struct ident_registry *r, int n)
{
    int shown = 0, rc = 0;
    const char *claim = r->claim[n];
    for (int i = 0; rc == 0 && i < r->nregs; i++) {
        const struct ident_reg_entry *e = &r->regs[i];
        if (e->id != n)
            continue;
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "id", n);
        cJSON_AddStringToObject(j, "address", e->address);
        cJSON_AddStringToObject(j, "node", e->key);
        if (!claim[0]) {
            cJSON_AddStringToObject(j, "mark", "registered-unclaimed");
        } else if (strcmp(claim, e->key) != 0) {
            cJSON_AddStringToObject(j, "mark", "conflict");
            cJSON_AddStringToObject(j, "claimed_by", r->claim_raw[n]);
        }
        rc = print_json(j);
        shown = 1;
    }
    if (rc == 0 && !shown && claim[0]) {
        char addr[IDENT_KEY_MAX] = "";
        int port;
        if (ident_key_address(claim, addr, sizeof addr, &port) != 0)
            addr[0] = '\0';
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "id", n);
        cJSON_AddStringToObject(j, "address", addr);
        cJSON_AddStringToObject(j, "node", claim);
        cJSON_AddStringToObject(j, "mark", "claimed-unregistered");
        rc = print_json(j);
    }
    return rc;
}

/* `zkinit id --nodes`: the registry by id. */
static int print_nodes(void)
{
    struct ident_registry *r = calloc(1, sizeof *r);
    int enabled = 0;
    int rc = r ? ident_etcd_registry(r, &enabled) : EXIT_INTERNAL;
    for (int i = 0; rc == 0 && r && i < r->nregs; i++) {
        if (r->regs[i].id < 0)
            log_warn("ignoring a bad id in etcd", "key=\"%snodes/%s/id\" value=\"%.40s\"",
                     r->prefix, r->regs[i].raw, r->regs[i].bad_value);
    }
    for (int n = 1; rc == 0 && enabled && n <= IDENT_ID_MAX; n++)
        rc = print_id(r, n);
    free(r);
    if (rc == 0 && fflush(stdout) != 0)
        rc = EXIT_INTERNAL;
    return rc;
}

/* Child: the ids of the live config at ARG's hosts, as "1,2,3," in OUT. 0, 1 none answered,
 * 2 getconfig failed. */
static int live_ids(void *arg, char *out, size_t outlen)
{
    zhandle_t *zh = zkc_connect(arg, clock_ms() + LIVE_TIMEOUT_MS, NULL);
    if (!zh)
        return 1;
    struct zk_ensemble *e = calloc(1, sizeof *e);
    int rc = e ? zkc_getconfig(zh, NULL, 0, e) : ZSYSTEMERROR;
    zkc_close(zh);
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; rc == ZOK && i < e->n && used + 8 < outlen; i++)
        used += (size_t)snprintf(out + used, outlen - used, "%d,", e->s[i].id);
    free(e);
    return rc == ZOK ? 0 : 2;
}

/* The registered servers' client addresses "h:p,[h6]:p" (default port: ZOO_CLIENT_PORT). */
static int registered_hosts(char *out, size_t len)
{
    static struct ident_node nodes[IDENT_ID_MAX];
    int count = 0;
    long port;
    if (env_long("ZOO_CLIENT_PORT", 1, 65535, 2181, &port) != 0)
        return EXIT_USAGE;
    int rc = ident_etcd_nodes(nodes, IDENT_ID_MAX, &count);
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; rc == 0 && i < count && used + 80 < len; i++) {
        char hp[IDENT_ADDR_MAX + 16];
        hostport_join(nodes[i].address, nodes[i].client_port ? nodes[i].client_port : port, hp,
                      sizeof hp);
        used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "," : "", hp);
    }
    return rc;
}

/* 0 when ID may be released: not in the live config (FORCE: unchecked). Else an exit code after
 * logging. */
static int check_live(int id, const char *hosts, int force)
{
    char buf[4096], ids[1200], wrapped[1300], needle[8];
    int rc = 0;
    if (force) {
        log_warn("releasing the id without checking the live ZooKeeper config (--force)", "id=%d",
                 id);
        return 0;
    }
    if (!hosts && (rc = registered_hosts(buf, sizeof buf)) != 0)
        return rc;
    if (!hosts)
        hosts = buf;
    int live = hosts[0] ? zk_in_child(live_ids, (void *)hosts, ids, sizeof ids,
                                      clock_ms() + LIVE_TIMEOUT_MS + 2000)
                        : 1;
    snprintf(wrapped, sizeof wrapped, ",%s", live == 0 ? ids : "");
    snprintf(needle, sizeof needle, ",%d,", id);
    int listed = strstr(wrapped, needle) != NULL;
    if (live != 0) {
        log_error("cannot read the live ZooKeeper config to check that the id is unused",
                  "id=%d hosts=\"%s\" hint=\"name a live server with --zk HOST:PORT, or use "
                  "--force if the ensemble is gone\"",
                  id, hosts);
        return EXIT_UNAVAILABLE;
    }
    if (listed) {
        log_error("the id is in the live ZooKeeper config; refusing to release it",
                  "id=%d hosts=\"%s\" hint=\"remove the server first (reconfig -remove %d), or "
                  "use --force\"",
                  id, hosts, id);
        return EXIT_CONFIG;
    }
    return 0;
}

/* `zkinit id --release ID [--force] [--zk HOSTS]`. */
static int release(long id, int force, const char *hosts)
{
    int rc, found;
    struct etcd_config cfg;
    int enabled;
    if ((rc = etcd_config_from_env(&cfg, &enabled)) != 0)
        return rc;
    if (!enabled) {
        log_error("the ids live in etcd, which is not configured",
                  "variable=ETCD_ENDPOINTS hint=\"set it (and ETCD_PREFIX) to the registry\"");
        return EXIT_USAGE;
    }
    if ((rc = check_live((int)id, hosts, force)) != 0 ||
        (rc = ident_etcd_release((int)id, &found)) != 0)
        return rc;
    if (!found)
        log_info("nothing to release: the id is neither claimed nor registered", "id=%ld", id);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "id", (double)id);
    cJSON_AddBoolToObject(j, "released", found);
    return print_json(j);
}

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"data-dir", required_argument, NULL, 'd'},
    {"nodes", no_argument, NULL, 'n'},
    {"release", required_argument, NULL, 'r'},
    {"force", no_argument, NULL, 'f'},
    {"zk", required_argument, NULL, 'z'},
    {0},
};

struct id_args {
    const char *data_dir, *hosts;
    long release; /* 0: not --release */
    int nodes, force, data_dir_given;
    int others; /* options besides --nodes */
};

/* Reads the options into O: 0, 1 after --help, or 64 after logging. */
static int parse_id_args(const struct args *a, struct id_args *o)
{
    args_begin(a);
    for (int c; (c = args_next(a)) != -1;) {
        o->others += c != 'n';
        switch (c) {
        case 'h':
            id_usage(stdout);
            return 1;
        case 'd':
            o->data_dir = optarg;
            o->data_dir_given = 1;
            break;
        case 'n':
            o->nodes = 1;
            break;
        case 'r':
            if (parse_long(optarg, 1, IDENT_ID_MAX, &o->release) != 0)
                return args_bad(a, optarg, "--release takes a server id 1..255");
            break;
        case 'f':
            o->force = 1;
            break;
        case 'z':
            o->hosts = optarg;
            break;
        default: /* ARGS_BAD: logged */
            return EXIT_USAGE;
        }
    }
    if (args_operands(a, NULL) > 0)
        return args_no_operands(a);
    return 0;
}

int cmd_id(int argc, char **argv)
{
    const struct args a = {argc,
                           argv,
                           "h",
                           long_opts,
                           "zkinit id [--data-dir DIR] | --nodes | --release ID (1..255) "
                           "[--force] [--zk HOST:PORT,...]",
                           0};
    struct id_args o = {.data_dir = getenv("ZOO_DATA_DIR")};
    int prc = parse_id_args(&a, &o);
    if (prc != 0)
        return prc == 1 ? 0 : prc;
    if (o.nodes && o.others)
        return args_bad(&a, "--nodes", "--nodes takes no other option");
    if (o.nodes)
        return print_nodes();
    if (o.release && o.data_dir_given)
        return args_bad(&a, "--data-dir", "--release reads no data directory");
    if (o.release)
        return release(o.release, o.force, o.hosts);
    if (o.force || o.hosts)
        return args_bad(&a, o.force ? "--force" : "--zk", "only with --release ID");
    const char *data_dir = o.data_dir && *o.data_dir ? o.data_dir : "/data";
    struct identity me;
    int rc = ident_resolve(data_dir, &me);
    if (rc != 0)
        return rc;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "id", me.id);
    cJSON_AddStringToObject(j, "address", me.address);
    cJSON_AddStringToObject(j, "source", me.source);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!s) {
        log_error("out of memory", NULL);
        return EXIT_INTERNAL;
    }
    int ok = printf("%s\n", s) > 0 && fflush(stdout) == 0;
    cJSON_free(s);
    if (!ok) {
        log_error("cannot write to standard output", NULL);
        return EXIT_INTERNAL;
    }
    return 0;
}
