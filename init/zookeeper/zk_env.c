/* zk_env.c - struct zk_settings from the environment: the official image's variables with its
 * defaults, Bitnami's names as aliases (the official name wins when both are set), ZOO_CFG_<KEY>,
 * and zkinit's own. Values ZooKeeper accepts are accepted with a warning. */
#include "zookeeper/zk_config.h"

#include "util/env.h"
#include "util/log.h"
#include "util/parse.h"
#include "zookeeper/zk_compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static char servers_buf[8192]; /* ZOO_SERVERS in the official form */
static char self_buf[8192];    /* the same with this server's wildcard address replaced */
static char extra_lines[8192];
static char jvm_buf[8192];

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && *v ? v : def;
}

static int is_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

/* A value that lands in a file line: no newline (it would inject configuration). */
static int env_line(const char *name, const char *def, const char **out)
{
    *out = env_or(name, def);
    if (*out && strpbrk(*out, "\r\n")) {
        log_error("bad environment value",
                  "variable=%s hint=\"a value must not contain a newline\"", name);
        return -1;
    }
    return 0;
}

/* ---- Bitnami's names ------------------------------------------------------------------- */

static void alias(const char *theirs, const char *ours)
{
    const char *v = getenv(theirs);
    if (!v || !*v)
        return;
    const char *official = getenv(ours);
    if (official && *official) {
        if (strcmp(official, v) != 0)
            log_warn("both names of a setting are set; the official image's name wins",
                     "variable=%s ignored=%s", ours, theirs);
        return;
    }
    setenv(ours, v, 1);
}

static void append_jvm_flags(const char *flags)
{
    const char *old = getenv("SERVER_JVMFLAGS");
    snprintf(jvm_buf, sizeof jvm_buf, "%s%s%s", flags, old && *old ? " " : "", old ? old : "");
    setenv("SERVER_JVMFLAGS", jvm_buf, 1);
}

static int bitnami_jvm(void)
{
    long heap;
    char flags[160];
    if (env_long("ZOO_HEAP_SIZE", 16, 1048576, 0, &heap) != 0)
        return -1;
    if (heap) {
        snprintf(flags, sizeof flags, "-Xmx%ldm -Xms%ldm", heap, heap);
        append_jvm_flags(flags);
    }
    const char *level = getenv("ZOO_LOG_LEVEL");
    if (level && *level) {
        if (strspn(level, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
            strlen(level)) {
            log_error("bad environment value",
                      "variable=ZOO_LOG_LEVEL hint=\"use ERROR, WARN, INFO, DEBUG or TRACE\"");
            return -1;
        }
        snprintf(flags, sizeof flags, "%s,CONSOLE", level);
        if (!is_set("ZOO_LOG4J_PROP"))
            setenv("ZOO_LOG4J_PROP", flags, 1);
        snprintf(flags, sizeof flags, "-Dzookeeper.console.threshold=%s", level);
        append_jvm_flags(flags);
    }
    return 0;
}

static void apply_aliases(void)
{
    alias("ZOO_SERVER_ID", "ZOO_MY_ID");
    alias("ZOO_PORT_NUMBER", "ZOO_CLIENT_PORT");
    alias("ZOO_PORT", "ZOO_CLIENT_PORT"); /* the official image's 3.4 variable */
    alias("ZOO_RECONFIG_ENABLED", "ZOO_RECONFIG");
    alias("ZOO_AUTOPURGE_INTERVAL", "ZOO_AUTOPURGE_PURGEINTERVAL");
    alias("ZOO_AUTOPURGE_RETAIN_COUNT", "ZOO_AUTOPURGE_SNAPRETAINCOUNT");
    const char *id = getenv("ZOO_MY_ID");
    if (id && !*id)
        unsetenv("ZOO_MY_ID"); /* the official image: ${ZOO_MY_ID:-1} */
}

/* ---- extra zoo.cfg lines --------------------------------------------------------------- */

static size_t extra_len;

static int add_line(const char *var, const char *key, const char *value)
{
    if (strpbrk(value, "\r\n")) {
        log_error("bad environment value",
                  "variable=%s hint=\"a value must not contain a newline\"", var);
        return -1;
    }
    int n =
        snprintf(extra_lines + extra_len, sizeof extra_lines - extra_len, "%s=%s\n", key, value);
    if (n < 0 || (size_t)n >= sizeof extra_lines - extra_len) {
        log_error("bad environment value", "variable=%s hint=\"too long\"", var);
        return -1;
    }
    extra_len += (size_t)n;
    return 0;
}

/* ZOO_CFG_<KEY>=VALUE (not ZOO_CFG_EXTRA) -> KEY=VALUE */
static int cfg_key_vars(void)
{
    for (char **e = environ; *e; e++) {
        char name[256], key[256];
        const char *eq = strchr(*e, '=');
        size_t n = eq ? (size_t)(eq - *e) : 0;
        if (n <= 8 || n >= sizeof name || strncmp(*e, "ZOO_CFG_", 8) != 0)
            continue;
        memcpy(name, *e, n);
        name[n] = '\0';
        if (strcmp(name, "ZOO_CFG_EXTRA") == 0 || !eq[1])
            continue;
        if (zk_cfg_key(name + 8, key, sizeof key) != 0) {
            log_error("bad environment variable name",
                      "variable=%s hint=\"use ZOO_CFG_camelCaseKey or ZOO_CFG_UPPER_SNAKE "
                      "(__ for a dot)\"",
                      name);
            return -1;
        }
        if (add_line(name, key, eq + 1) != 0)
            return -1;
    }
    return 0;
}

static int extra_settings(struct zk_settings *st)
{
    char err[200];
    extra_len = 0;
    extra_lines[0] = '\0';
    if (zk_extra_check(st->cfg_extra, err, sizeof err) != 0) {
        log_error("bad environment value",
                  "variable=ZOO_CFG_EXTRA problem=\"%s\" hint=\"a list of KEY=VALUE words "
                  "separated by blanks or newlines\"",
                  err);
        return -1;
    }
    int listen_all = 0;
    if (env_bool("ZOO_LISTEN_ALLIPS_ENABLED", 0, &listen_all) != 0)
        return -1;
    st->listen_all_ips = listen_all;
    const char *max = getenv("ZOO_MAX_CNXNS");
    long v;
    if (max && *max) {
        if (env_long("ZOO_MAX_CNXNS", 0, 100000000, 0, &v) != 0 ||
            add_line("ZOO_MAX_CNXNS", "maxCnxns", max) != 0)
            return -1;
    }
    int auth = 0;
    if (env_bool("ZOO_ENABLE_AUTH", 0, &auth) != 0 ||
        (auth && add_line("ZOO_ENABLE_AUTH", "authProvider.sasl",
                          "org.apache.zookeeper.server.auth.SASLAuthenticationProvider") != 0))
        return -1;
    if (cfg_key_vars() != 0)
        return -1;
    st->extra_lines = extra_lines;
    return 0;
}

/* ---- numbers --------------------------------------------------------------------------- */

/* NAME in [MIN, MAX]; a value in [LOW, MIN) is what ZooKeeper accepts with its own correction:
 * accepted with WHAT as the warning. */
static int env_lenient(const char *name, long low, long min, long max, long def, const char *what,
                       long *out)
{
    if (env_long(name, low, max, def, out) != 0)
        return -1;
    if (*out < min)
        log_warn("value below what ZooKeeper uses; accepted as the official image does",
                 "variable=%s value=%ld zookeeper=\"%s\"", name, *out, what);
    return 0;
}

static int client_port(struct zk_settings *st)
{
    char v[32];
    if (is_set("ZOO_CLIENT_PORT") || !zk_extra_get(st->cfg_extra, "clientPort", v, sizeof v))
        return env_long("ZOO_CLIENT_PORT", 1, 65535, 2181, &st->client_port);
    if (parse_long(v, 1, 65535, &st->client_port) != 0) {
        log_error("bad environment value",
                  "variable=ZOO_CFG_EXTRA key=clientPort hint=\"use a port from 1 to 65535\"");
        return -1;
    }
    return 0;
}

static int env_numbers(struct zk_settings *st)
{
    if (env_long("ZOO_TICK_TIME", 1, 3600000, 2000, &st->tick_time) ||
        env_lenient("ZOO_INIT_LIMIT", 0, 1, 1000000, 5,
                    "initLimit=0 is refused for an ensemble of more than one server",
                    &st->init_limit) ||
        env_lenient("ZOO_SYNC_LIMIT", 0, 1, 1000000, 2,
                    "syncLimit=0 is refused for an ensemble of more than one server",
                    &st->sync_limit) ||
        env_long("ZOO_MAX_CLIENT_CNXNS", 0, 1000000, 60, &st->max_client_cnxns) ||
        env_lenient("ZOO_AUTOPURGE_PURGEINTERVAL", -1000000, 0, 1000000, 0,
                    "a purge interval of 0 or less disables the purge", &st->purge_interval) ||
        env_lenient("ZOO_AUTOPURGE_SNAPRETAINCOUNT", 0, 3, 1000000, 3,
                    "a retain count below 3 is replaced by 3", &st->snap_retain_count) ||
        client_port(st) || env_long("ZOO_QUORUM_PORT", 1, 65535, 2888, &st->quorum_port) ||
        env_long("ZOO_ELECTION_PORT", 1, 65535, 3888, &st->election_port))
        return -1;
    return 0;
}

static int env_peer_type(struct zk_settings *st)
{
    static char extra_type[16];
    st->peer_type_set = is_set("ZOO_PEER_TYPE");
    st->peer_type = env_or("ZOO_PEER_TYPE", "participant");
    if (!st->peer_type_set &&
        zk_extra_get(st->cfg_extra, "peerType", extra_type, sizeof extra_type)) {
        st->peer_type = extra_type;
        st->peer_type_set = 1;
    }
    if (strcmp(st->peer_type, "participant") == 0 || strcmp(st->peer_type, "observer") == 0)
        return 0;
    log_error("bad environment value",
              "variable=ZOO_PEER_TYPE value=\"%s\" hint=\"use participant or observer\"",
              st->peer_type);
    return -1;
}

static int env_client_address(struct zk_settings *st)
{
    static char extra_addr[ZK_HOST_MAX];
    if (!is_set("ZOO_CLIENT_ADDRESS") &&
        zk_extra_get(st->cfg_extra, "clientPortAddress", extra_addr, sizeof extra_addr)) {
        st->client_address = extra_addr;
        return 0;
    }
    return env_line("ZOO_CLIENT_ADDRESS", "0.0.0.0", &st->client_address);
}

/* ZOO_SERVERS in the official form (Bitnami's forms converted). */
static int env_servers(struct zk_settings *st)
{
    char err[300];
    st->servers = env_or("ZOO_SERVERS", NULL); /* whitespace separated: newlines are fine */
    if (!st->servers)
        return 0;
    int rc = zk_bitnami_servers(st->servers, st->client_port, servers_buf, sizeof servers_buf, err,
                                sizeof err);
    if (rc < 0) {
        log_error("bad environment value", "variable=ZOO_SERVERS problem=\"%s\"", err);
        return -1;
    }
    if (rc > 0) {
        log_info("ZOO_SERVERS in Bitnami's form", "servers=\"%s\"", servers_buf);
        st->servers = servers_buf;
    }
    return 0;
}

static int env_modes(struct zk_settings *st)
{
    if (env_bool("ZOO_RECONFIG", 1, &st->reconfig) != 0)
        return -1;
    st->standalone_set = is_set("ZOO_STANDALONE_ENABLED");
    /* A one-member ensemble must not run standalone, or nobody can join it. */
    if (env_bool("ZOO_STANDALONE_ENABLED", !st->reconfig, &st->standalone_enabled) ||
        env_bool("ZOO_ADMINSERVER_ENABLED", 1, &st->admin_enabled))
        return -1;
    if (st->reconfig && st->standalone_enabled) {
        log_warn(
            "ZOO_STANDALONE_ENABLED=true with ZOO_RECONFIG=on: a single server will not accept "
            "joiners",
            NULL);
    }
    return 0;
}

int zk_settings_from_env(struct zk_settings *st)
{
    memset(st, 0, sizeof *st);
    apply_aliases();
    st->fourlw_set = is_set("ZOO_4LW_COMMANDS_WHITELIST");
    if (env_line("ZOO_CONF_DIR", "/conf", &st->conf_dir) ||
        env_line("ZOO_DATA_DIR", "/data", &st->data_dir) ||
        env_line("ZOO_DATA_LOG_DIR", "/datalog", &st->data_log_dir) ||
        env_line("ZOO_LOG_DIR", "/logs", &st->log_dir) ||
        env_line("ZOO_4LW_COMMANDS_WHITELIST", "", &st->fourlw_whitelist))
        return -1;
    st->cfg_extra = env_or("ZOO_CFG_EXTRA", NULL); /* a list of words: newlines separate */
    if (extra_settings(st) || env_client_address(st) || env_numbers(st) || env_modes(st) ||
        env_peer_type(st) || env_servers(st) || bitnami_jvm())
        return -1;
    return 0;
}

void zk_settings_adopt_self(struct zk_settings *st, int id, const char *address)
{
    char role[ZK_ROLE_MAX];
    if (!st->peer_type_set && zk_servers_role(st->servers, id, role, sizeof role) &&
        strcmp(role, "observer") == 0) {
        st->peer_type = "observer";
        log_info("this server is an observer in ZOO_SERVERS; keeping that role", "id=%d", id);
    }
    if (!st->reconfig || !st->servers)
        return;
    if (zk_servers_fix_self(st->servers, id, address, self_buf, sizeof self_buf) == 1) {
        st->servers = self_buf;
        st->listen_all_ips = 1;
        log_info("this server's ZOO_SERVERS entry has a wildcard address: the shared config gets "
                 "this server's address and zoo.cfg quorumListenOnAllIPs=true",
                 "id=%d address=%s", id, address);
    }
}
