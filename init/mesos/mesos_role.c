/* mesos_role.c - the mesos-master, mesos-agent and marathon roles: merge the settings into the
 * environment, optionally wait for a leading master, then supervise the daemon. */
#include "commands.h"
#include "core/opts.h"
#include "core/supervise.h"
#include "mesos/mesos_defaults.h"
#include "mesos/mesos_flags.h"
#include "mesos/mesos_leader.h"
#include "mesos/mesos_masterurl.h"
#include "util/args.h"
#include "util/env.h"
#include "util/exitcodes.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static const char *const role_names[] = {"mesos-master", "mesos-agent", "marathon"};

static void usage(enum mesos_role role)
{
    printf("usage: zkinit %s [-- COMMAND [ARG...]]\n"
           "Settings: %s* variables > files under ZKINIT_SYSCONFDIR (/etc) > derived defaults\n"
           "(ZK_HOSTS, ZOO_SERVERS or etcd, MESOS_MASTERS, HOST_IP); the daemon gets them as "
           "environment.\nA flag file the daemon does not know is exit 65 "
           "(ZKINIT_MESOS_UNKNOWN_FLAGS=warn: a warning).\n%s",
           role_names[role], mesos_role_prefix(role),
           role == ROLE_MESOS_MASTER
               ? ""
               : "ZKINIT_WAIT_FOR_LEADER=SECONDS: wait for a leading Mesos master first.\n");
}

/* 1 when NAME is an executable file in PATH. */
static int in_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        return 0;
    char *copy = strdup(path), *save = NULL;
    int found = 0;
    for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char full[4096];
        int w = snprintf(full, sizeof full, "%s/%s", *d ? d : ".", name);
        found = w > 0 && (size_t)w < sizeof full && access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

static char *default_command(enum mesos_role role)
{
    if (role == ROLE_MESOS_MASTER)
        return "mesos-master";
    if (role == ROLE_MARATHON)
        return "marathon";
    /* Mesos >= 1.0 installs mesos-agent; older packages only mesos-slave. */
    return !in_path("mesos-agent") && in_path("mesos-slave") ? "mesos-slave" : "mesos-agent";
}

/* Puts the non-operator settings into the environment the daemon inherits. */
static int apply_settings(const struct settings *s)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct setting *e = &s->v[i];
        if (e->src == SRC_ENV)
            continue;
        if (setenv(e->name, e->value, 1) != 0) {
            log_error("cannot set a variable", "name=%s", e->name);
            return EXIT_INTERNAL;
        }
        log_info("setting", "name=%s source=%s from=\"%s\"", e->name,
                 e->src == SRC_FILE ? "file" : "derived", e->origin);
    }
    return 0;
}

static int wait_for_leader(enum mesos_role role, const struct settings *s)
{
    long ms = 0;
    if (env_seconds_ms("ZKINIT_WAIT_FOR_LEADER", 0, &ms) != 0)
        return EXIT_USAGE;
    if (ms == 0)
        return 0;
    if (role == ROLE_MESOS_MASTER) {
        log_warn("ZKINIT_WAIT_FOR_LEADER is ignored by the mesos-master role", NULL);
        return 0;
    }
    const char *var = role == ROLE_MARATHON ? "MARATHON_MASTER" : "MESOS_MASTER";
    const char *url = settings_value(s, var);
    if (!url) {
        log_error("ZKINIT_WAIT_FOR_LEADER needs the Mesos master's zk:// URL", "var=%s hint=\"%s\"",
                  var, "set it, /etc/mesos/zk, ZK_HOSTS, ZOO_SERVERS or ETCD_ENDPOINTS");
        return EXIT_USAGE;
    }
    char resolved[4096];
    const char *why = "";
    if (mesos_master_url(url, resolved, sizeof resolved, &why) != 0) {
        log_error("ZKINIT_WAIT_FOR_LEADER cannot read the master URL", "var=%s error=\"%s\"", var,
                  why);
        return EXIT_USAGE;
    }
    return mesos_wait_leader(resolved, var, ms);
}

/* Everything before supervising: settings into the environment, then the wait. */
static int prepare(enum mesos_role role)
{
    const char *sysconf = getenv("ZKINIT_SYSCONFDIR");
    struct settings s = {0};
    const char *etc = sysconf && *sysconf ? sysconf : "/etc";
    mesos_defaults_check(role, etc);
    int rc = mesos_settings_build(role, environ, etc, &s);
    if (rc == 0)
        rc = apply_settings(&s);
    if (rc == 0)
        rc = wait_for_leader(role, &s);
    settings_free(&s);
    return rc;
}

static int role_main(enum mesos_role role, int argc, char **argv)
{
    char **command, line[64];
    snprintf(line, sizeof line, "zkinit %s [-- COMMAND [ARG...]]", role_names[role]);
    int prc = args_command(argc, argv, line, 1, &command); /* a Mesos flag is no COMMAND */
    if (prc == 1)
        usage(role);
    if (prc != 0)
        return prc == 1 ? 0 : prc;
    struct supervise_cfg cfg;
    supervise_defaults(&cfg);
    if (opts_from_env(&cfg) != 0)
        return EXIT_USAGE;
    int rc = prepare(role);
    if (rc != 0)
        return rc;
    char *def[] = {default_command(role), NULL};
    cfg.argv = command ? command : def;
    cfg.quit_is_not_stop = role == ROLE_MARATHON; /* a JVM: SIGQUIT prints a thread dump */
    return supervise(&cfg);
}

int cmd_mesos_master(int argc, char **argv)
{
    return role_main(ROLE_MESOS_MASTER, argc, argv);
}

int cmd_mesos_agent(int argc, char **argv)
{
    return role_main(ROLE_MESOS_AGENT, argc, argv);
}

int cmd_marathon(int argc, char **argv)
{
    return role_main(ROLE_MARATHON, argc, argv);
}
