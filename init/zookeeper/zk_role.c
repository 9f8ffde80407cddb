/* zk_role.c - `zkinit zookeeper`: identity, myid, zoo.cfg and the dynamic config (official
 * image's variables and defaults), the JVM command, the zookeeper user, membership hooks. */
#include "commands.h"
#include "core/opts.h"
#include "core/supervise.h"
#include "util/args.h"
#include "util/atomicfile.h"
#include "util/clock.h"
#include "util/env.h"
#include "util/exitcodes.h"
#include "util/fdchown.h"
#include "util/log.h"
#include "util/secret.h"
#include "zookeeper/ident.h"
#include "zookeeper/zk_config.h"
#include "zookeeper/zk_jaas.h"
#include "zookeeper/zk_member.h"
#include "zookeeper/zk_plan.h"
#include "zookeeper/zk_state.h"
#include "zookeeper/zk_steward.h"
#include "zookeeper/zk_super.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ARGS 128
#define DEBIAN_JAR "/usr/share/java/zookeeper.jar"
#define DEBIAN_SLF4J_LOG4J "/usr/share/java/slf4j-log4j12.jar"
#define DEBIAN_LOG4J "/usr/share/java/log4j-1.2.jar"
#define MAIN_CLASS "org.apache.zookeeper.server.quorum.QuorumPeerMain"

static const char usage_text[] =
    "Usage: zkinit zookeeper [-- COMMAND [ARG...]]\n"
    "Writes myid, zoo.cfg (unless mounted) and the dynamic config from ZOO_* variables, then runs\n"
    "ZooKeeper (zkServer.sh start-foreground where installed, else java $SERVER_JVMFLAGS\n"
    "$JVMFLAGS -cp $ZOO_CLASSPATH " MAIN_CLASS " $ZOO_CONF_DIR/zoo.cfg)\n"
    "as PID 1 would: with ZOO_RECONFIG=on (default) it joins the live ensemble on start and\n"
    "leaves it on SIGTERM/SIGINT. See README.md for every variable.\n";

/* Everything the hooks need lives here: the hook processes are forks of this one. */
static struct zk_member member;
static char password[256];
static char classpath[4096];
static char secret_args[ZK_PATH_MAX + 1]; /* "@file" holding the superDigest, or "" */
static char zkserver_path[ZK_PATH_MAX];
static char log_dir_flag[600];
static char logger_flag[300];
static char cfg_path[ZK_PATH_MAX];
static char java_path[ZK_PATH_MAX];
static char *jvm_argv[MAX_ARGS];
static char jvmflags_copy[8192];
static char server_jvmflags_copy[8192];
static int conf_generated; /* zoo.cfg is ours (not mounted) */

static int write_file(const char *path, const char *text)
{
    if (atomic_write_file(path, text, strlen(text), 0644) != 0) {
        log_error("cannot write file", "file=\"%s\" error=\"%s\"", path, strerror(errno));
        return EXIT_CONFIG;
    }
    return 0;
}

static int mkdir_p(const char *dir)
{
    char buf[ZK_PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static int make_dirs(const struct zk_settings *st)
{
    const char *dirs[] = {st->conf_dir, st->data_dir, st->data_log_dir, st->log_dir};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (mkdir_p(dirs[i]) != 0) {
            log_error("cannot create directory", "dir=\"%s\" error=\"%s\"", dirs[i],
                      strerror(errno));
            return EXIT_CONFIG;
        }
    }
    return 0;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ---- the zookeeper user ---------------------------------------------------------------- */

static uid_t chown_uid;

/* A file zkinit wrote itself: chown it without following a symlink, only when needed. */
static void chown_one(const char *path)
{
    struct stat sb;
    if (fstatat(AT_FDCWD, path, &sb, AT_SYMLINK_NOFOLLOW) != 0 || sb.st_uid == chown_uid)
        return;
    if (fchownat(AT_FDCWD, path, chown_uid, (gid_t)-1, AT_SYMLINK_NOFOLLOW) != 0)
        log_warn("cannot chown", "path=\"%s\" error=\"%s\"", path, strerror(errno));
}

/* As the official image: run as `zookeeper` (ZOO_USER) when it exists and we are root. */
static const char *pick_user(const struct zk_settings *st, int generated)
{
    const char *name = getenv("ZOO_USER");
    if (!name || !*name)
        name = "zookeeper";
    if (geteuid() != 0 || strcmp(name, "root") == 0)
        return NULL;
    struct passwd *pw = getpwnam(name);
    if (!pw) {
        log_debug("no zookeeper user; running as root", "user=%s", name);
        return NULL;
    }
    chown_uid = pw->pw_uid;
    const char *dirs[] = {st->data_dir, st->data_log_dir, st->log_dir};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        chown_tree(dirs[i], chown_uid);
    if (generated) { /* ZooKeeper rewrites zoo.cfg after a reconfig */
        char dyn[ZK_PATH_MAX];
        zk_dynamic_path(st, dyn, sizeof dyn);
        chown_one(st->conf_dir);
        chown_one(cfg_path);
        if (exists(dyn))
            chown_one(dyn);
    }
    log_info("running ZooKeeper as its own user", "user=%s", name);
    return name;
}

/* ---- the command ----------------------------------------------------------------------- */

static void default_classpath(const char *conf_dir)
{
    const char *cp = getenv("ZOO_CLASSPATH");
    glob_t g;
    if (cp && *cp) {
        snprintf(classpath, sizeof classpath, "%s", cp);
    } else if (exists(DEBIAN_JAR)) {
        /* Debian's jar names slf4j-api only: without a binding ZooKeeper logs nothing. */
        int log4j = exists(DEBIAN_SLF4J_LOG4J) && exists(DEBIAN_LOG4J);
        snprintf(classpath, sizeof classpath, "/etc/zookeeper/conf:%s%s", DEBIAN_JAR,
                 log4j ? ":" DEBIAN_SLF4J_LOG4J ":" DEBIAN_LOG4J : "");
    } else if (glob("/apache-zookeeper-*-bin", 0, NULL, &g) == 0) { /* the official image */
        const char *d = g.gl_pathv[g.gl_pathc - 1];
        snprintf(classpath, sizeof classpath, "%s:%s/lib/*:%s/*", conf_dir, d, d);
        globfree(&g);
    } else {
        snprintf(classpath, sizeof classpath, "%s:/usr/share/zookeeper/lib/*", conf_dir);
    }
}

/* ZooKeeper's own start script, as the official image runs it: $ZK_HOME/bin or the official
 * layout (/apache-zookeeper-*-bin/bin). ZOO_CLASSPATH asks for java itself. Debian's package
 * script is used only through ZK_HOME: its zkEnv.sh pins ZOOCFGDIR to /etc/zookeeper/conf and a
 * classpath without a logging binding (ZooKeeper's own log would be silent). */
static int find_zkserver(void)
{
    const char *home = getenv("ZK_HOME");
    const char *cp = getenv("ZOO_CLASSPATH");
    glob_t g;
    if (cp && *cp)
        return 0;
    if (home && *home) {
        snprintf(zkserver_path, sizeof zkserver_path, "%s/bin/zkServer.sh", home);
        if (access(zkserver_path, X_OK) == 0)
            return 1;
    }
    if (glob("/apache-zookeeper-*-bin/bin/zkServer.sh", 0, NULL, &g) == 0) {
        snprintf(zkserver_path, sizeof zkserver_path, "%s", g.gl_pathv[g.gl_pathc - 1]);
        globfree(&g);
        if (access(zkserver_path, X_OK) == 0)
            return 1;
    }
    return 0;
}

/* Appends the words of VAR (a copy in BUF) to jvm_argv from *N. 0, or 64 after logging. */
static int add_words(const char *var, char *buf, size_t len, int *n)
{
    const char *flags = getenv(var);
    char *save = NULL;
    snprintf(buf, len, "%s", flags ? flags : "");
    for (char *w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
        if (*n >= MAX_ARGS - 10) {
            log_error("bad environment value", "variable=%s hint=\"too many words\"", var);
            return EXIT_USAGE;
        }
        jvm_argv[(*n)++] = w;
    }
    return 0;
}

/* zkServer.sh start-foreground ZOO_CONF_DIR/zoo.cfg, or
 * java $SERVER_JVMFLAGS $JVMFLAGS [-D...] -cp $ZOO_CLASSPATH QuorumPeerMain $ZOO_CONF_DIR/zoo.cfg
 */
static int default_command(const struct zk_settings *st)
{
    int n = 0;
    if (find_zkserver()) {
        jvm_argv[0] = zkserver_path;
        jvm_argv[1] = "start-foreground";
        jvm_argv[2] = cfg_path;
        jvm_argv[3] = NULL;
        if (!getenv("ZOO_LOG_DIR"))
            setenv("ZOO_LOG_DIR", st->log_dir, 1);
        log_debug("command: ZooKeeper's start script", "script=\"%s\"", zkserver_path);
        return 0;
    }
    const char *jh = getenv("JAVA_HOME");
    if (jh && *jh)
        snprintf(java_path, sizeof java_path, "%s/bin/java", jh);
    else
        snprintf(java_path, sizeof java_path, "java");
    jvm_argv[n++] = java_path;
    int rc = add_words("SERVER_JVMFLAGS", server_jvmflags_copy, sizeof server_jvmflags_copy, &n);
    if (rc != 0 || (rc = add_words("JVMFLAGS", jvmflags_copy, sizeof jvmflags_copy, &n)) != 0)
        return rc;
    snprintf(log_dir_flag, sizeof log_dir_flag, "-Dzookeeper.log.dir=%s", st->log_dir);
    const char *logger = getenv("ZOO_LOG4J_PROP");
    snprintf(logger_flag, sizeof logger_flag, "-Dzookeeper.root.logger=%s",
             logger && *logger ? logger : "INFO,CONSOLE");
    jvm_argv[n++] = log_dir_flag;
    jvm_argv[n++] = logger_flag;
    default_classpath(st->conf_dir);
    jvm_argv[n++] = "-cp";
    jvm_argv[n++] = classpath;
    jvm_argv[n++] = MAIN_CLASS;
    jvm_argv[n++] = cfg_path;
    jvm_argv[n] = NULL;
    return 0;
}

/* The super digest reaches the JVM as "@file" in SERVER_JVMFLAGS (zkServer.sh and the direct
 * java command both read it): argv shows only the file's name. */
static void export_digest(void)
{
    char buf[8192];
    const char *old = getenv("SERVER_JVMFLAGS");
    snprintf(buf, sizeof buf, "%s%s%s", secret_args, old && *old ? " " : "", old ? old : "");
    setenv("SERVER_JVMFLAGS", buf, 1);
}

static int setup_password(struct zk_member *m)
{
    char file[ZK_PATH_MAX];
    int have = 0;
    int auth = 0;
    int rc = zk_super_setup(&m->st, password, sizeof password, &have);
    m->password = have ? password : NULL;
    if (rc == 0)
        rc = zk_jaas_setup(m->st.data_dir, &auth);
    if (rc != 0 || (rc = zk_super_argfile(m->st.data_dir, m->password, file, sizeof file)) != 0)
        return rc;
    if (have) {
        snprintf(secret_args, sizeof secret_args, "@%s", file);
        export_digest();
    }
    return 0;
}

/* ---- files ---------------------------------------------------------------------------------- */

static int write_generated(const struct zk_settings *st, const struct zk_ensemble *dyn,
                           const struct zk_server *self, const char *marker)
{
    int rc;
    if (dyn) {
        char path[ZK_PATH_MAX];
        char *text = zk_render_dynamic(dyn);
        zk_dynamic_path(st, path, sizeof path);
        rc = text ? write_file(path, text) : EXIT_INTERNAL;
        free(text);
        if (rc != 0)
            return rc;
        log_info("wrote dynamic config", "file=\"%s\" servers=%d", path, dyn->n);
    }
    char *cfg = zk_render_static(st, self);
    rc = cfg ? write_file(cfg_path, cfg) : EXIT_INTERNAL;
    free(cfg);
    conf_generated = rc == 0;
    if (rc == 0)
        rc =
            write_file(marker, "zoo.cfg in this directory is generated by zkinit on every start\n");
    return rc;
}

static int write_myid(const struct zk_settings *st, int id)
{
    char path[ZK_PATH_MAX], text[16];
    snprintf(path, sizeof path, "%s/myid", st->data_dir);
    snprintf(text, sizeof text, "%d\n", id);
    return write_file(path, text);
}

static int read_timeouts(struct zk_member *m)
{
    if (env_seconds_ms("ZOO_LEAVE_TIMEOUT", 5000, &m->leave_timeout_ms) ||
        env_seconds_ms("ZOO_JOIN_TIMEOUT", 120000, &m->join_timeout_ms) ||
        env_bool("ZOO_LEAVE_ON_STOP", m->st.reconfig, &m->leave_on_stop))
        return EXIT_USAGE;
    if (m->leave_timeout_ms < 500 || m->join_timeout_ms < 500) {
        log_error("bad environment value", "variable=ZOO_LEAVE_TIMEOUT/ZOO_JOIN_TIMEOUT "
                                           "hint=\"use at least 0.5 seconds\"");
        return EXIT_USAGE;
    }
    return zk_steward_settings(m);
}

/* ZooKeeper leaves a zoo.cfg.dynamic.<hex version> file per reconfig in the directory of the
 * zoo.cfg it runs with. Called only once the new zoo.cfg and its dynamic file are durable (and the
 * newest config is in the state file): a start killed before then still finds the old ones. */
static void prune_dynamic_files(const char *dir, const char *keep)
{
    static const char prefix[] = "zoo.cfg.dynamic.";
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        const char *v = e->d_name + sizeof prefix - 1;
        if (strncmp(e->d_name, prefix, sizeof prefix - 1) != 0 || !*v ||
            strspn(v, "0123456789abcdef") != strlen(v) || strcmp(e->d_name, keep) == 0)
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            n++;
    }
    closedir(d);
    if (n)
        log_debug("removed ZooKeeper's old dynamic config files", "dir=\"%s\" files=%d", dir, n);
}

/* $ZOO_CONF_DIR/zoo.cfg -> the zoo.cfg in the data volume (for zkCli.sh, zkServer.sh status). */
static int link_conf_cfg(const struct zk_settings *st)
{
    char link[ZK_PATH_MAX + 16], tmp[ZK_PATH_MAX + 32];
    snprintf(link, sizeof link, "%s/zoo.cfg", st->conf_dir);
    snprintf(tmp, sizeof tmp, "%s/.zoo.cfg.link.tmp", st->conf_dir);
    unlink(tmp);
    if (symlink(cfg_path, tmp) != 0 || rename(tmp, link) != 0) {
        log_error("cannot link zoo.cfg into the conf directory", "file=\"%s\" error=\"%s\"", link,
                  strerror(errno));
        unlink(tmp);
        return EXIT_CONFIG;
    }
    return 0;
}

/* Membership mode: the state, the plan, then the files (state first: see prune_dynamic_files). */
static int prepare_membership(int server, int id, const char *marker)
{
    static char dyn_name[64], dyn_path[ZK_PATH_MAX + 64];
    struct zk_settings *st = &member.st;
    struct zk_ensemble initial;
    char dir[ZK_PATH_MAX];
    int rc;
    zk_state_dir(st, dir, sizeof dir);
    if (mkdir_p(dir) != 0) {
        log_error("cannot create directory", "dir=\"%s\" error=\"%s\"", dir, strerror(errno));
        return EXIT_CONFIG;
    }
    if (snprintf(cfg_path, sizeof cfg_path, "%.*s/zoo.cfg", (int)(sizeof cfg_path - 16), dir) >=
        (int)sizeof cfg_path)
        return EXIT_USAGE;
    memcpy(member.cfg_path, cfg_path, sizeof member.cfg_path);
    if (!server && exists(cfg_path)) {
        /* zkCli.sh, zkServer.sh status, a shell on the data volume: the membership files belong
         * to the server that wrote them (ZooKeeper's newest dynamic file may be newer than the
         * state file), so a client command leaves them as they are. */
        log_info("not a server command: the membership files stay as they are", "file=\"%s\"",
                 cfg_path);
        return link_conf_cfg(st);
    }
    if (zk_state_load(st, &member.state) != 0)
        return EXIT_CONFIG;
    zk_member_known_config(&member, &member.previous);
    rc = server ? zk_member_plan(&member, &initial) : zk_member_plan_offline(&member, &initial);
    if (rc != 0)
        return rc;
    /* ZooKeeper reads a dynamic file's version from its name (zoo.cfg.dynamic.<hex>). */
    snprintf(dyn_name, sizeof dyn_name, "zoo.cfg.dynamic%s%s", initial.version[0] ? "." : "",
             initial.version);
    snprintf(dyn_path, sizeof dyn_path, "%s/%s", dir, dyn_name);
    st->dynamic_path = dyn_path;
    if (server) {
        member.state.id = id;
        snprintf(member.state.note, sizeof member.state.note, "%s",
                 member.need_join ? "starting as observer, to be added" : "starting as member");
        if (zk_state_save(st, &member.state) != 0)
            return EXIT_CONFIG;
    }
    if ((rc = write_generated(st, &initial, NULL, marker)) != 0 || (rc = link_conf_cfg(st)) != 0)
        return rc;
    prune_dynamic_files(dir, dyn_name);
    prune_dynamic_files(st->conf_dir, "");
    return 0;
}

/* The default command, or one that starts a ZooKeeper server: membership applies to it. The
 * image's /docker-entrypoint.sh runs its arguments (none: the server). */
static int is_server_command(char **command)
{
    if (!command || !command[0])
        return 1;
    const char *slash = strrchr(command[0], '/');
    const char *base = slash ? slash + 1 : command[0];
    if (strcmp(base, "docker-entrypoint.sh") == 0)
        return is_server_command(command[1] ? command + 1 : NULL);
    return strcmp(base, "zkServer.sh") == 0 || strcmp(base, "java") == 0;
}

/* Identity, settings, files. *MANAGED = membership hooks apply. */
static int prepare(int server, int *managed)
{
    struct zk_settings *st = &member.st;
    struct identity me;
    char marker[ZK_PATH_MAX];
    int rc;
    *managed = 0;
    if (zk_settings_from_env(st) != 0 || read_timeouts(&member) != 0)
        return EXIT_USAGE;
    if ((rc = make_dirs(st)) != 0 || (rc = setup_password(&member)) != 0 ||
        (rc = ident_resolve(st->data_dir, &me)) != 0)
        return rc;
    log_info("identity", "id=%d address=%s source=%s", me.id, me.address, me.source);
    zk_settings_adopt_self(st, me.id, me.address);
    zk_self_server(st, me.id, me.address, st->peer_type, &member.self);
    snprintf(cfg_path, sizeof cfg_path, "%s/zoo.cfg", st->conf_dir);
    snprintf(marker, sizeof marker, "%s/.zkinit-generated", st->conf_dir);
    if (exists(cfg_path) && !exists(marker)) {
        log_info("keeping the operator's zoo.cfg as is; membership is not managed", "file=\"%s\"",
                 cfg_path);
    } else if (st->reconfig) {
        if ((rc = prepare_membership(server, me.id, marker)) != 0)
            return rc;
        *managed = server;
    } else if ((rc = write_generated(st, NULL, &member.self, marker)) != 0) {
        return rc;
    }
    return write_myid(st, me.id);
}

int cmd_zookeeper(int argc, char **argv)
{
    char **command = NULL;
    int managed, rc;
    rc = args_command(argc, argv, "zkinit zookeeper [-- COMMAND [ARG...]]", 0, &command);
    if (rc == 1)
        fputs(usage_text, stdout);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    if ((rc = prepare(is_server_command(command), &managed)) != 0)
        return rc;
    if (!getenv("ZOOCFGDIR"))
        setenv("ZOOCFGDIR", member.st.conf_dir, 1); /* zkServer.sh and friends */
    setenv("ZKINIT_ZOOKEEPER_PREPARED", "1", 1);    /* the image's docker-entrypoint.sh */
    struct supervise_cfg cfg;
    supervise_defaults(&cfg);
    if (opts_from_env(&cfg) != 0)
        return EXIT_USAGE;
    if (!command && (rc = default_command(&member.st)) != 0)
        return rc;
    cfg.argv = command ? command : jvm_argv;
    if (!cfg.user)
        cfg.user = pick_user(&member.st, conf_generated);
    cfg.quit_is_not_stop = 1; /* SIGQUIT: the JVM's thread dump, not a reason to leave */
    if (managed) {
        cfg.role_start = (struct hook){"join", zk_join_hook, &member, member.join_timeout_ms};
        cfg.role_stop = (struct hook){"leave", member.leave_on_stop ? zk_leave_hook : NULL, &member,
                                      member.leave_timeout_ms};
        if (zk_steward_enabled(&member)) {
            member.epoch_ms = clock_ms();
            cfg.role_tick =
                (struct hook){"steward", zk_steward_round, &member, ZK_STEWARD_ROUND_MS};
            cfg.tick_every_ms = zk_steward_every_ms(&member);
            log_info("self-managing ensemble on",
                     "remove_stale_after_ms=%ld max_participants=%d "
                     "round_every_ms=%ld",
                     member.stale_after_ms, member.max_participants, cfg.tick_every_ms);
        }
    }
    return supervise(&cfg);
}
