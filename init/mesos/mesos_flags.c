/* mesos_flags.c - merges the settings of the Mesos and Marathon roles (see mesos_flags.h). */
#include "mesos/mesos_flags.h"

#include "etcd/ident_etcd.h"
#include "mesos/mesos_files.h"
#include "mesos/mesos_masterurl.h"
#include "mesos/zkurl.h"
#include "util/addr.h"
#include "util/exitcodes.h"
#include "util/hostport.h"
#include "util/log.h"
#include "util/parse.h"
#include "zkclient/zk_ensemble.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define URL_MAX (ZKURL_AUTH_MAX + ZKURL_HOSTS_MAX + ZKURL_PATH_MAX + 8)

long mesos_quorum(long count)
{
    return count / 2 + 1;
}

int mesos_hosts_from_zoo_servers(const char *servers, long default_port, char *out, size_t len,
                                 char *err, size_t errlen)
{
    struct zk_ensemble *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = zk_parse_config(servers, e, err, errlen);
    if (rc == 0 && e->n == 0) {
        snprintf(err, errlen, "no server.N=... entry");
        rc = -1;
    }
    if (rc == 0) {
        for (int i = 0; i < e->n; i++) {
            if (e->s[i].client_port == 0)
                e->s[i].client_port = (int)default_port;
        }
        zk_connect_string(e, 0, out, len);
    }
    free(e);
    return rc;
}

/* ---- derived defaults ---- */

static int put(struct settings *s, const char *name, const char *value, int src, const char *origin)
{
    if (settings_put(s, name, value, src, origin) != 0) {
        log_error("out of memory", NULL);
        return EXIT_INTERNAL;
    }
    return 0;
}

static int hosts_from_etcd(long port, char *out, size_t len)
{
    struct ident_node nodes[255];
    int count = 0;
    int rc = ident_etcd_nodes(nodes, 255, &count);
    if (rc != 0)
        return rc;
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < count; i++) {
        char hp[IDENT_ADDR_MAX + 16];
        hostport_join(nodes[i].address, port, hp, sizeof hp);
        int w = snprintf(out + used, len - used, "%s%s", used ? "," : "", hp);
        if (w < 0 || (size_t)w >= len - used) {
            log_error("too many ZooKeeper nodes in etcd for one URL", NULL);
            return EXIT_CONFIG;
        }
        used += (size_t)w;
    }
    return 0;
}

/* ZooKeeper's client hosts for derived URLs: ZK_HOSTS, ZOO_SERVERS, else etcd. OUT is "" when
 * none is configured. Returns 0 or an exit code after logging. */
static int derive_hosts(char **envp, char *out, size_t len, const char **origin)
{
    const char *why = "";
    const char *v = envp_get(envp, "ZK_HOSTS");
    out[0] = '\0';
    if (v && *v) {
        *origin = "ZK_HOSTS";
        if (zkurl_hosts(v, out, len, &why) == 0)
            return 0;
        log_error("bad environment value", "variable=ZK_HOSTS error=\"%s\" hint=\"%s\"", why,
                  "e.g. ZK_HOSTS=zk1:2181,zk2:2181");
        return EXIT_USAGE;
    }
    long port = 2181;
    v = envp_get(envp, "ZOO_CLIENT_PORT");
    if (v && *v && parse_long(v, 1, 65535, &port) != 0) {
        log_error("bad environment value", "variable=ZOO_CLIENT_PORT value=\"%s\" hint=\"%s\"", v,
                  "a TCP port, 1..65535");
        return EXIT_USAGE;
    }
    v = envp_get(envp, "ZOO_SERVERS");
    if (v && *v) {
        char err[256];
        *origin = "ZOO_SERVERS";
        if (mesos_hosts_from_zoo_servers(v, port, out, len, err, sizeof err) == 0)
            return 0;
        log_error(
            "bad environment value", "variable=ZOO_SERVERS error=\"%s\" hint=\"%s\"", err,
            "e.g. ZOO_SERVERS=\\\"server.1=zk1:2888:3888;2181 server.2=zk2:2888:3888;2181\\\"");
        return EXIT_USAGE;
    }
    v = envp_get(envp, "ETCD_ENDPOINTS");
    if (!v || !*v)
        v = envp_get(envp, "ETCDCTL_ENDPOINTS");
    if (v && *v) {
        *origin = "etcd";
        return hosts_from_etcd(port, out, len);
    }
    return 0;
}

struct derive_ctx {
    char **envp;
    int looked; /* derive_hosts ran */
    char hosts[ZKURL_HOSTS_MAX];
    const char *origin;
};

/* zk://HOSTS/PATH from the derived hosts into OUT; *HAVE 0 when none is configured. */
static int derived_url(struct derive_ctx *d, const char *path, char *out, size_t len, int *have)
{
    if (!d->looked) {
        int rc = derive_hosts(d->envp, d->hosts, sizeof d->hosts, &d->origin);
        if (rc != 0)
            return rc;
        d->looked = 1;
    }
    *have = d->hosts[0] && zkurl_format(NULL, d->hosts, path, out, len) == 0;
    return 0;
}

/* Sets NAME to zk://HOSTS/PATH unless already set. */
static int derive_zk_setting(struct settings *s, struct derive_ctx *d, const char *name,
                             const char *path)
{
    char url[URL_MAX];
    int have = 0;
    if (settings_find(s, name))
        return 0;
    int rc = derived_url(d, path, url, sizeof url, &have);
    if (rc != 0 || !have)
        return rc;
    return put(s, name, url, SRC_DERIVED, d->origin);
}

/* An IPv6 HOST_IP: libprocess (LIBPROCESS_IP, the daemons' --ip and --advertise_ip) takes only
 * IPv4. The agent has --ip6 (advertised to containers on the host network); the master and
 * Marathon have no IPv6 setting. */
static int derive_host_ip6(enum mesos_role role, struct settings *s, const char *ip)
{
    if (role == ROLE_MESOS_AGENT) {
        log_warn("HOST_IP is IPv6: only MESOS_IP6 is set (Mesos communicates over IPv4 only)",
                 "variable=HOST_IP hint=\"%s\"",
                 "set MESOS_IP or HOST_IP to this node's IPv4 address too; MESOS_IP, "
                 "MESOS_ADVERTISE_IP and MESOS_HOSTNAME are left unset");
        /* Mesos exits when --ip6 and --ip6_discovery_command are both given */
        return settings_find(s, "MESOS_IP6_DISCOVERY_COMMAND")
                   ? 0
                   : put(s, "MESOS_IP6", ip, SRC_DERIVED, "HOST_IP");
    }
    log_warn("HOST_IP is IPv6, which this daemon does not support: no address is derived",
             "variable=HOST_IP daemon=%s hint=\"%s\"",
             role == ROLE_MARATHON ? "marathon" : "mesos-master",
             role == ROLE_MARATHON ? "LIBPROCESS_IP must be IPv4: set HOST_IP to this node's IPv4 "
                                     "address, or LIBPROCESS_IP and MARATHON_HOSTNAME yourself"
                                   : "the master binds IPv4 only (no --ip6): set HOST_IP to this "
                                     "node's IPv4 address, or MESOS_IP yourself");
    return 0;
}

static int derive_host_ip(enum mesos_role role, struct settings *s, char **envp,
                          const char *const *names)
{
    const char *ip = envp_get(envp, "HOST_IP");
    if (!ip || !*ip)
        return 0;
    if (!addr_is_literal(ip)) {
        log_error("bad environment value", "variable=HOST_IP value=\"%s\" hint=\"%s\"", ip,
                  "this node's IPv4 or IPv6 address");
        return EXIT_USAGE;
    }
    if (strchr(ip, ':'))
        return derive_host_ip6(role, s, ip);
    for (int i = 0; names[i]; i++) {
        /* Mesos exits when --ip and --ip_discovery_command are both given */
        if (!strcmp(names[i], "MESOS_IP") && settings_find(s, "MESOS_IP_DISCOVERY_COMMAND"))
            continue;
        int rc = put(s, names[i], ip, SRC_DERIVED, "HOST_IP");
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int derive_quorum(struct settings *s, char **envp)
{
    const char *m = envp_get(envp, "MESOS_MASTERS");
    long count = 1;
    char q[24];
    if (settings_find(s, "MESOS_QUORUM"))
        return 0;
    if (m && *m && parse_long(m, 1, 999, &count) != 0) {
        log_error("bad environment value", "variable=MESOS_MASTERS value=\"%s\" hint=\"%s\"", m,
                  "the number of Mesos masters, e.g. 3 (the quorum becomes a majority of it)");
        return EXIT_USAGE;
    }
    const char *registry = settings_value(s, "MESOS_REGISTRY");
    if ((!m || !*m) && settings_find(s, "MESOS_ZK") &&
        !(registry && !strcmp(registry, "in_memory"))) {
        /* Mesos refuses to start without --quorum here: 1 is unsafe for three masters. */
        log_error("a master with ZooKeeper needs a quorum",
                  "variables=\"MESOS_QUORUM MESOS_MASTERS\" hint=\"%s\"",
                  "set MESOS_MASTERS to the number of masters (the quorum becomes a majority), "
                  "or MESOS_QUORUM (or a file mesos-master/quorum)");
        return EXIT_USAGE;
    }
    snprintf(q, sizeof q, "%ld", mesos_quorum(count));
    return put(s, "MESOS_QUORUM", q, SRC_DERIVED, m && *m ? "MESOS_MASTERS" : "default");
}

/* MARATHON_ZK from the zk:// master URL RESOLVED (of the setting MASTER). */
static int marathon_zk_from_url(struct settings *s, const struct setting *master,
                                const char *resolved)
{
    struct zkurl u;
    const char *why = "";
    char url[URL_MAX];
    if (zkurl_parse(resolved, &u, &why) != 0) {
        log_error("bad ZooKeeper URL of the Mesos master", "from=\"%s\" error=\"%s\"",
                  master->origin, why);
        return master->src == SRC_FILE ? EXIT_CONFIG : EXIT_USAGE;
    }
    if (zkurl_format(u.auth, u.hosts, "/marathon", url, sizeof url) != 0) {
        log_error("the derived MARATHON_ZK is too long", "from=\"%s\"", master->origin);
        return EXIT_USAGE;
    }
    return put(s, "MARATHON_ZK", url, SRC_DERIVED, "MARATHON_MASTER");
}

/* Marathon's --zk: the master's ZooKeeper hosts (and credentials) with /marathon. A master that
 * is not a zk:// URL (a host:port) leaves --zk to the ZooKeeper hosts, with a warning. */
static int derive_marathon_zk(struct settings *s, struct derive_ctx *d)
{
    const struct setting *master = settings_find(s, "MARATHON_MASTER");
    const char *why = "";
    char resolved[URL_MAX];
    if (settings_find(s, "MARATHON_ZK"))
        return 0;
    if (!master)
        return derive_zk_setting(s, d, "MARATHON_ZK", "/marathon");
    if (mesos_master_url(master->value, resolved, sizeof resolved, &why) != 0) {
        log_error("bad Mesos master URL", "from=\"%s\" error=\"%s\"", master->origin, why);
        return master->src == SRC_FILE ? EXIT_CONFIG : EXIT_USAGE;
    }
    if (strncmp(resolved, "zk://", 5) == 0)
        return marathon_zk_from_url(s, master, resolved);
    int rc = derive_zk_setting(s, d, "MARATHON_ZK", "/marathon");
    const struct setting *zk = settings_find(s, "MARATHON_ZK");
    if (rc == 0)
        log_warn("MARATHON_MASTER is not a zk:// URL: MARATHON_ZK is not derived from it",
                 "from=\"%s\" marathon_zk_from=\"%s\" hint=\"%s\"", master->origin,
                 zk ? zk->origin : "(none: Marathon's default zk://localhost:2181/marathon)",
                 "set MARATHON_ZK");
    return rc;
}

static int derive(enum mesos_role role, struct settings *s, char **envp)
{
    static const char *const mesos_ip[] = {"MESOS_IP", "MESOS_HOSTNAME", "MESOS_ADVERTISE_IP",
                                           NULL};
    static const char *const marathon_ip[] = {"MARATHON_HOSTNAME", "LIBPROCESS_IP", NULL};
    struct derive_ctx d = {.envp = envp};
    int rc;
    if (role == ROLE_MARATHON) {
        if ((rc = derive_zk_setting(s, &d, "MARATHON_MASTER", "/mesos")) != 0 ||
            (rc = derive_marathon_zk(s, &d)) != 0)
            return rc;
        return derive_host_ip(role, s, envp, marathon_ip);
    }
    if (role == ROLE_MESOS_MASTER) {
        if ((rc = derive_zk_setting(s, &d, "MESOS_ZK", "/mesos")) != 0 ||
            (rc = derive_quorum(s, envp)) != 0)
            return rc;
    } else if ((rc = derive_zk_setting(s, &d, "MESOS_MASTER", "/mesos")) != 0) {
        return rc;
    }
    if ((rc = put(s, "MESOS_WORK_DIR", "/var/lib/mesos", SRC_DERIVED, "default")) != 0)
        return rc;
    return derive_host_ip(role, s, envp, mesos_ip);
}

/* ---- files ---- */

/* SYSCONFDIR/mesos/zk as VAR (an empty file sets nothing). */
static int load_mesos_zk(struct settings *s, const char *sysconfdir, const char *var)
{
    char path[4096];
    char *v = NULL;
    int rc = snprintf(path, sizeof path, "%s/mesos/zk", sysconfdir);
    if (rc < 0 || (size_t)rc >= sizeof path) {
        log_error("path too long", "variable=ZKINIT_SYSCONFDIR");
        return EXIT_USAGE;
    }
    rc = flag_file_read(path, 0, &v);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    if (*v)
        rc = put(s, var, v, SRC_FILE, path);
    free(v);
    return rc;
}

static int load_files(enum mesos_role role, struct settings *s, const char *sysconfdir,
                      const struct flag_policy *policy)
{
    static const char *const master_dirs[] = {"mesos-master", NULL};
    static const char *const agent_dirs[] = {"mesos-slave", "mesos-agent", NULL};
    static const char *const marathon_dirs[] = {"marathon/conf", NULL};
    const char *const *dirs = role == ROLE_MESOS_MASTER  ? master_dirs
                              : role == ROLE_MESOS_AGENT ? agent_dirs
                                                         : marathon_dirs;
    enum flag_style style = role == ROLE_MESOS_MASTER  ? STYLE_MESOS
                            : role == ROLE_MESOS_AGENT ? STYLE_AGENT
                                                       : STYLE_MARATHON;
    const char *zkvar = role == ROLE_MESOS_MASTER  ? "MESOS_ZK"
                        : role == ROLE_MESOS_AGENT ? "MESOS_MASTER"
                                                   : "MARATHON_MASTER";
    int rc = load_mesos_zk(s, sysconfdir, zkvar);
    for (int i = 0; rc == 0 && dirs[i]; i++) {
        char dir[4096];
        int w = snprintf(dir, sizeof dir, "%s/%s", sysconfdir, dirs[i]);
        if (w < 0 || (size_t)w >= sizeof dir) {
            log_error("path too long", "variable=ZKINIT_SYSCONFDIR");
            return EXIT_USAGE;
        }
        rc = flag_dir_load(s, dir, mesos_role_prefix(role), style, policy);
    }
    return rc;
}

static int load_env(struct settings *s, char **envp, const char *prefix)
{
    size_t pl = strlen(prefix);
    for (char **e = envp; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || strncmp(*e, prefix, pl) != 0 || (size_t)(eq - *e) >= 256)
            continue;
        char name[256];
        memcpy(name, *e, (size_t)(eq - *e));
        name[eq - *e] = '\0';
        if (put(s, name, eq + 1, SRC_ENV, name) != 0)
            return EXIT_INTERNAL;
    }
    return 0;
}

/* ZKINIT_MESOS_UNKNOWN_FLAGS: "error" (default) or "warn". */
static int unknown_flags_policy(enum mesos_role role, char **envp, struct flag_policy *p)
{
    const char *v = envp_get(envp, "ZKINIT_MESOS_UNKNOWN_FLAGS");
    p->role = role;
    p->warn_unknown = v && strcmp(v, "warn") == 0;
    if (!v || !*v || p->warn_unknown || strcmp(v, "error") == 0)
        return 0;
    log_error("bad environment value",
              "variable=ZKINIT_MESOS_UNKNOWN_FLAGS value=\"%s\" hint=\"%s\"", v,
              "error (refuse a flag file the daemon does not know) or warn");
    return EXIT_USAGE;
}

int mesos_settings_build(enum mesos_role role, char **envp, const char *sysconfdir,
                         struct settings *out)
{
    struct flag_policy policy;
    int rc = unknown_flags_policy(role, envp, &policy);
    if (rc != 0)
        return rc;
    rc = load_env(out, envp, mesos_role_prefix(role));
    if (rc == 0 && role == ROLE_MARATHON)
        rc = load_env(out, envp, "LIBPROCESS_IP");
    if (rc == 0)
        rc = load_files(role, out, sysconfdir, &policy);
    if (rc == 0)
        rc = derive(role, out, envp);
    return rc;
}
