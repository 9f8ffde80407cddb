/* cmd_recover.c - `zkinit recover`: after a quorum is lost for good, make this server
 * ($ZOO_DATA_DIR) the only member of its ensemble so that it serves alone on its next start and
 * the others rejoin it. Gathers what every reachable node reports (data directories, srvr),
 * decides (zk_recover.c), and with --force writes (zk_recover_apply.c); a dry run otherwise. */
#include "commands.h"
#include "util/args.h"

#include "util/exitcodes.h"
#include "util/log.h"
#include "util/parse.h"
#include "zkclient/zk_4lw.h"
#include "zkclient/zk_reach.h"
#include "zookeeper/ident.h"
#include "zookeeper/zk_datadir.h"
#include "zookeeper/zk_recover.h"
#include "zookeeper/zk_recover_apply.h"
#include "zookeeper/zk_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DATA 16
#define MAX_ASK (ZK_MAX_SERVERS + 16)
#define ANSWER_MAX 4096

static const char usage_text[] =
    "Usage: zkinit recover [--force] [--i-know ID]... [--data DIR[:LOGDIR]]...\n"
    "                      [--server HOST:PORT]... [--timeout SECONDS]\n"
    "After the ensemble's quorum is lost for good (the other servers' volumes are gone), makes\n"
    "this server ($ZOO_DATA_DIR, its id from the myid file there) the only member of its\n"
    "ensemble: on its next start it serves alone with every write it has, and the others rejoin\n"
    "it as new members. Run it where this server's volumes are mounted, with the server stopped:\n"
    "  docker run --rm -v zk1-data:/data -v zk1-datalog:/datalog IMAGE zkinit recover\n"
    "It reports the last zxid and config of every node it can reach: this server's data, each\n"
    "--data DIR (another server's ZOO_DATA_DIR; :LOGDIR its ZOO_DATA_LOG_DIR when separate), and\n"
    "srvr from each --server and from every server of the last committed config. It refuses\n"
    "while any server serves (join the live ensemble instead), while this server runs, and when\n"
    "another node has a higher zxid or runs without saying it, unless --i-know ID names that\n"
    "node (what only it has is lost).\n"
    "Without --force nothing is changed (a dry run). With --force it writes the one-member\n"
    "dynamic config in $ZOO_DATA_DIR/zkinit, records why in the membership state, points zoo.cfg\n"
    "at it, removes the other dynamic files (and etcd's record follows when configured).\n"
    "  --timeout SECONDS   deadline of each srvr (default 2)\n"
    "Exit codes: 0 the dry run would proceed, or --force recovered; 64 bad arguments or\n"
    "environment; 65 refused (the verdict line says why and what to do), or a file that cannot\n"
    "be read or written; 70 internal error.\n";

struct data_arg {
    char dir[ZK_PATH_MAX];
    char logdir[ZK_PATH_MAX]; /* "" unless DIR:LOGDIR */
};

struct opts {
    int force;
    int iknow[ZK_IKNOW_MAX], niknow;
    struct data_arg data[MAX_DATA];
    int ndata;
    const char *servers[MAX_ASK];
    int nservers;
    long timeout_ms;
};

static struct zk_recover_node nodes[ZK_RECOVER_MAX];
static int nnodes;

#define RECOVER_USAGE                                                                              \
    "zkinit recover [--force] [--i-know ID] [--data DIR[:LOGDIR]] [--server HOST:PORT] "           \
    "[--timeout SECONDS]; see --help"

/* A bad value VALUE: WHAT is wrong with it. Returns 64 after logging, as util/args does. */
static int usage_error(const char *what, const char *value)
{
    static const struct args usage = {.usage = RECOVER_USAGE};
    return args_bad(&usage, value ? value : "", what);
}

static int add_data(struct opts *o, const char *v)
{
    const char *colon = strchr(v, ':');
    size_t n = colon ? (size_t)(colon - v) : strlen(v);
    if (o->ndata == MAX_DATA)
        return usage_error("too many --data", v);
    if (n == 0 || n >= ZK_PATH_MAX || (colon && (!colon[1] || strlen(colon + 1) >= ZK_PATH_MAX)))
        return usage_error("--data takes DIR or DIR:LOGDIR", v);
    snprintf(o->data[o->ndata].dir, ZK_PATH_MAX, "%.*s", (int)n, v);
    snprintf(o->data[o->ndata].logdir, ZK_PATH_MAX, "%s", colon ? colon + 1 : "");
    o->ndata++;
    return 0;
}

static int valid_hostport(const char *v)
{
    char host[1][128];
    int port[1];
    return strchr(v, ',') == NULL && zk_reach_split(v, host, port, 1) == 1 && port[0] > 0;
}

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"force", no_argument, NULL, 'f'},
    {"i-know", required_argument, NULL, 'i'},
    {"data", required_argument, NULL, 'd'},
    {"server", required_argument, NULL, 's'},
    {"timeout", required_argument, NULL, 't'},
    {0},
};

/* Option C with value V into O: 0, or 64 after logging. */
static int take_option(struct opts *o, int c, const char *v)
{
    long id;
    switch (c) {
    case 'f':
        o->force = 1;
        return 0;
    case 'i':
        if (parse_long(v, 1, 255, &id) != 0 || o->niknow == ZK_IKNOW_MAX)
            return usage_error("--i-know takes a server id 1..255", v);
        o->iknow[o->niknow++] = (int)id;
        return 0;
    case 'd':
        return add_data(o, v);
    case 's':
        if (!valid_hostport(v) || o->nservers == MAX_ASK)
            return usage_error("--server takes one HOST:PORT (a client endpoint)", v);
        o->servers[o->nservers++] = v;
        return 0;
    case 't':
        if (parse_seconds_ms(v, &o->timeout_ms) != 0 || o->timeout_ms <= 0)
            return usage_error("--timeout takes seconds, e.g. 2", v);
        return 0;
    default: /* ARGS_BAD: logged */
        return EXIT_USAGE;
    }
}

/* 0 parsed, 1 --help printed, or 64 after logging. */
static int parse_args(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = 2000;
    const struct args a = {argc, argv, "h", long_opts, RECOVER_USAGE, 0};
    args_begin(&a);
    for (int c; (c = args_next(&a)) != -1;) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return 1;
        }
        int rc = take_option(o, c, optarg);
        if (rc != 0)
            return rc;
    }
    if (args_operands(&a, NULL) > 0)
        return args_no_operands(&a);
    return 0;
}

/* ---- data directories ----------------------------------------------------------------------- */

static int read_myid(const char *dir, int *id)
{
    char path[ZK_PATH_MAX + 8];
    int set = 0, rc = ident_read_myid(dir, path, sizeof path, id, &set);
    if (rc == 0 && !set) {
        log_error("no server id in the data directory",
                  "file=\"%s\" hint=\"point ZOO_DATA_DIR or --data at a ZooKeeper server's data "
                  "volume (it holds myid, version-2 and zkinit/)\"",
                  path);
        return EXIT_CONFIG;
    }
    return rc;
}

/* The transaction log directory of another server's DIR: LOGDIR as given, else the dataLogDir
 * its zoo.cfg names when that zoo.cfg's paths are valid here (its dataDir is DIR). */
static int other_logdir(const struct data_arg *a, char *buf, size_t len)
{
    char cfg[ZK_PATH_MAX + 32], data_dir[ZK_PATH_MAX], log_dir[ZK_PATH_MAX];
    if (a->logdir[0]) {
        snprintf(buf, len, "%s", a->logdir);
        return 0;
    }
    snprintf(cfg, sizeof cfg, "%s/zkinit/zoo.cfg", a->dir);
    zk_datadir_cfg_value(cfg, "dataDir", data_dir, sizeof data_dir);
    zk_datadir_cfg_value(cfg, "dataLogDir", log_dir, sizeof log_dir);
    snprintf(buf, len, "%s", a->dir);
    if (!log_dir[0] || strcmp(log_dir, data_dir) == 0)
        return 0;
    if (strcmp(data_dir, a->dir) == 0) { /* the paths the server used are the paths here */
        snprintf(buf, len, "%s", log_dir);
        return 0;
    }
    log_error("another server's transaction log is not under its data directory",
              "data=\"%s\" its_dataLogDir=\"%s\" hint=\"mount that server's data log volume too "
              "and pass --data %s:LOGDIR\"",
              a->dir, log_dir, a->dir);
    return EXIT_USAGE;
}

/* A report from the data directory DIR (transaction logs also in LOGDIR). */
static int read_data_node(const struct zk_settings *base, const char *dir, const char *logdir,
                          int target, struct zk_recover_node *out)
{
    struct zk_settings st = *base;
    struct zk_state state;
    struct zk_datadir_info info;
    struct zk_ensemble files;
    char state_dir[ZK_PATH_MAX];
    memset(out, 0, sizeof *out);
    int rc = read_myid(dir, &out->id);
    if (rc != 0)
        return rc;
    st.data_dir = dir;
    zk_state_dir(&st, state_dir, sizeof state_dir);
    if (zk_state_load(&st, &state) != 0 || zk_datadir_config(state_dir, &files) != 0 ||
        zk_datadir_scan(dir, logdir, &info) != 0)
        return EXIT_CONFIG;
    out->config = zk_version_cmp(files.version, state.config.version) >= 0 && files.n > 0
                      ? files
                      : state.config;
    snprintf(out->where, sizeof out->where, "%s", dir);
    out->source = ZK_SRC_DATA;
    out->target = target;
    out->has_zxid = info.has_zxid;
    out->zxid = info.last_zxid;
    if (info.logs == 0 && info.snapshots > 0 && strcmp(dir, logdir) != 0)
        log_warn("no transaction log found beside the snapshots: is the data log volume mounted?",
                 "data=\"%s\" datalog=\"%s\" snapshot_zxid=%" PRIx64
                 " hint=\"mount ZOO_DATA_LOG_DIR's volume too, or the last writes are not seen\"",
                 dir, logdir, info.snap_zxid);
    return 0;
}

static int gather_data(const struct zk_settings *st, const struct opts *o)
{
    int rc = read_data_node(st, st->data_dir, st->data_log_dir, 1, &nodes[0]);
    nnodes = rc == 0 ? 1 : 0;
    for (int i = 0; rc == 0 && i < o->ndata; i++) {
        char logdir[ZK_PATH_MAX];
        struct zk_recover_node *n = &nodes[nnodes];
        if ((rc = other_logdir(&o->data[i], logdir, sizeof logdir)) != 0 ||
            (rc = read_data_node(st, o->data[i].dir, logdir, 0, n)) != 0)
            break;
        for (int j = 0; j < nnodes; j++) {
            if (nodes[j].id == n->id)
                return usage_error(j == 0 ? "--data names a directory of this server's id"
                                          : "two --data directories of one server id",
                                   o->data[i].dir);
        }
        nnodes++;
    }
    return rc;
}

/* ---- srvr --------------------------------------------------------------------------------- */

static struct zk_recover_node *node_of(int id)
{
    for (int i = 0; id > 0 && i < nnodes; i++) {
        if (nodes[i].id == id)
            return &nodes[i];
    }
    return NULL;
}

/* Asks HOSTPORT (server ID, 0 unknown) srvr and merges the answer into the reports. */
static void ask(const char *hostport, int id, long timeout_ms)
{
    char answer[ANSWER_MAX], mode[16];
    uint64_t zxid;
    int answered = zk_4lw_ask_hostport(hostport, "srvr", timeout_ms, answer, sizeof answer) == 0;
    struct zk_recover_node *n = node_of(id);
    if (!n) {
        if (nnodes == ZK_RECOVER_MAX)
            return;
        n = &nodes[nnodes++];
        memset(n, 0, sizeof *n);
        n->id = id;
        n->source = ZK_SRC_UNREACHABLE;
        snprintf(n->where, sizeof n->where, "%s", hostport);
    }
    if (!answered)
        return;
    n->answered = 1;
    if (n->source == ZK_SRC_UNREACHABLE)
        n->source = ZK_SRC_SRVR;
    zk_4lw_mode(answer, mode, sizeof mode);
    snprintf(n->mode, sizeof n->mode, "%s",
             zk_4lw_refused(answer)      ? "srvr-refused"
             : zk_4lw_serving(mode)      ? mode
             : strstr(answer, "serving") ? "not-serving"
                                         : "unknown");
    if (n->source == ZK_SRC_SRVR && zk_4lw_zxid(answer, &zxid) == 0) {
        n->has_zxid = 1;
        n->zxid = zxid;
    }
}

/* Every server of this server's last committed config, then every --server (matched to an id
 * by its client endpoint when the config has it). */
static void gather_srvr(const struct opts *o)
{
    struct zk_ensemble cfg = nodes[0].config;
    char asked[MAX_ASK][ZK_HOST_MAX + 16];
    int nasked = 0;
    for (int i = 0; i < cfg.n && nasked < MAX_ASK; i++) {
        zk_client_hostport(&cfg.s[i], asked[nasked], sizeof asked[0]);
        ask(asked[nasked++], cfg.s[i].id, o->timeout_ms);
    }
    for (int i = 0; i < o->nservers; i++) {
        int id = 0, dup = 0;
        for (int j = 0; j < nasked; j++)
            dup = dup || strcmp(asked[j], o->servers[i]) == 0;
        for (int j = 0; j < cfg.n; j++) {
            char hp[ZK_HOST_MAX + 16];
            zk_client_hostport(&cfg.s[j], hp, sizeof hp);
            if (strcmp(hp, o->servers[i]) == 0)
                id = cfg.s[j].id;
        }
        if (!dup)
            ask(o->servers[i], id, o->timeout_ms);
    }
}

/* ---- report and verdict --------------------------------------------------------------------- */

static void report(const struct zk_recover_node *n)
{
    char zxid[24] = "unknown", ids[256] = "", id[16] = "?";
    if (n->has_zxid)
        snprintf(zxid, sizeof zxid, "0x%" PRIx64, n->zxid);
    if (n->id > 0)
        snprintf(id, sizeof id, "%d", n->id);
    zk_recover_ids(&n->config, ids, sizeof ids);
    log_info("recover: node",
             "id=%s target=%s source=%s where=\"%s\" last_zxid=%s mode=%s "
             "config_version=%s members=\"%s\"",
             id, n->target ? "yes" : "no", zk_recover_source_name(n->source), n->where, zxid,
             n->mode[0] ? n->mode : "none",
             n->config.n ? (n->config.version[0] ? n->config.version : "none") : "unknown", ids);
}

static int refuse(const struct zk_recover_decision *d, int force)
{
    const struct zk_recover_node *b = d->blocker;
    char id[16] = "?";
    if (b && b->id > 0)
        snprintf(id, sizeof id, "%d", b->id);
    log_error("recover refused",
              "verdict=%s why=\"%s\" node=%s where=\"%s\" hint=\"%s\" "
              "dry_run=%s",
              zk_recover_verdict_name(d->verdict), d->why, id, b ? b->where : "", d->hint,
              force ? "no" : "yes");
    return EXIT_CONFIG;
}

/* The state --force writes: status member, this server's line alone, the new version, why. */
static void new_state(const struct zk_recover_decision *d, struct zk_state *out)
{
    const struct zk_recover_node *t = d->target;
    memset(out, 0, sizeof *out);
    out->status = ZK_STATUS_MEMBER;
    out->id = t->id;
    zk_ensemble_put(&out->config, &t->config.s[zk_ensemble_find(&t->config, t->id)]);
    zk_recover_version(t->zxid, t->config.version, out->config.version, sizeof out->config.version);
    zk_recover_note(t, &t->config, d->accepted, out->note, sizeof out->note);
}

int cmd_recover(int argc, char **argv)
{
    struct opts o;
    struct zk_settings st;
    struct zk_recover_decision d;
    struct zk_state state;
    char line[ZK_PATH_MAX], ids[256];
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    if (zk_settings_from_env(&st) != 0)
        return EXIT_USAGE;
    if ((rc = gather_data(&st, &o)) != 0)
        return rc;
    gather_srvr(&o);
    for (int i = 0; i < nnodes; i++)
        report(&nodes[i]);
    zk_recover_decide(nodes, nnodes, o.iknow, o.niknow, &d);
    if (d.verdict != ZK_RECOVER_PROCEED)
        return refuse(&d, o.force);
    new_state(&d, &state);
    zk_server_line(&state.config.s[0], line, sizeof line);
    zk_recover_ids(&d.target->config, ids, sizeof ids);
    if (!o.force) {
        log_info("recover: dry run, nothing changed",
                 "verdict=proceed why=\"%s\" id=%d last_zxid=0x%" PRIx64 " old_version=%s "
                 "old_members=\"%s\" new_version=%s keeps=\"%s\" hint=\"run again with --force to "
                 "write the one-member config, then start this server\"",
                 d.why, d.target->id, d.target->zxid, d.target->config.version, ids,
                 state.config.version, line);
        return 0;
    }
    log_info("recover: making this server the only member",
             "why=\"%s\" id=%d last_zxid=0x%" PRIx64
             " old_version=%s old_members=\"%s\" new_version=%s keeps=\"%s\"",
             d.why, d.target->id, d.target->zxid, d.target->config.version, ids,
             state.config.version, line);
    if ((rc = zk_recover_apply(&st, &state)) != 0)
        return rc;
    log_info("recovered: start this server now; it serves alone, and the others rejoin it when "
             "started on fresh volumes",
             "id=%d version=%s", d.target->id, state.config.version);
    return 0;
}
