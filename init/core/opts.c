/* opts.c - the generic init's flags and their ZKINIT_* environment twins. */
#include "core/opts.h"

#include "util/exitcodes.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/version.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: zkinit [OPTIONS] [--] COMMAND [ARG...]\n"
    "       zkinit zookeeper|mesos-master|mesos-agent|marathon [-- COMMAND [ARG...]]\n"
    "       zkinit id|render|health|members|recover|mesos-leader ...   (see zkinit CMD --help)\n"
    "\n"
    "Runs COMMAND as its only child: forwards signals, reaps zombies, exits with COMMAND's status\n"
    "(128+N for signal N). Every option has an environment twin for callers that cannot pass "
    "flags.\n"
    "\n"
    "  -g, --pgroup            forward signals to COMMAND's process group    ZKINIT_PGROUP=1\n"
    "  -t, --grace SECONDS     SIGKILL this long after a stop signal (10)    ZKINIT_GRACE\n"
    "  -u, --user USER[:GROUP] run COMMAND as this user                      ZKINIT_USER\n"
    "  -r, --rewrite SIG:SIG   forward SIG as another signal (SIG:0 drops)   ZKINIT_REWRITE\n"
    "  -e, --success-exit CODE report exit CODE as 0 (repeatable)            ZKINIT_SUCCESS_EXIT\n"
    "      --on-start CMD      sh -c CMD once COMMAND runs                   ZKINIT_ON_START\n"
    "      --on-stop CMD       sh -c CMD on SIGTERM/INT/QUIT, before it is   ZKINIT_ON_STOP\n"
    "                          forwarded (ZKINIT_CHILD_PID = COMMAND's pid);\n"
    "                          a second stop signal ends it and is forwarded\n"
    "      --hook-timeout SEC  deadline of each hook (5; 0 stops it at once) ZKINIT_HOOK_TIMEOUT\n"
    "  -h, --help              this text\n"
    "  -V, --version           print the version\n"
    "\n"
    "Hooks run as COMMAND's user, after a role's own hooks. COMMAND and hooks inherit fds 0-2\n"
    "only (COMMAND also LISTEN_FDS sockets from fd 3) and no secret variable.\n"
    "Two SIGTERMs sent at once may arrive as one: send the second stop later, or SIGINT.\n"
    "\n"
    "Logs: logfmt on stderr, ZKINIT_LOG_LEVEL=debug|info|warn|error (info).\n"
    "Exit codes: COMMAND's; 64 bad option or variable; 126 not executable; 127 not found;\n"
    "137 killed after the grace period; 70 internal error.\n";

/* A hook that runs a shell command line (in the forked hook process). */
static int run_shell_hook(void *arg)
{
    execl("/bin/sh", "sh", "-c", (const char *)arg, (char *)NULL);
    log_error("cannot run hook through /bin/sh", "command=\"%s\"", (const char *)arg);
    return 127;
}

static int bad(const char *what, const char *value, const char *hint)
{
    log_error("bad option", "option=%s value=\"%s\" hint=\"%s\"", what, value, hint);
    return -1;
}

static int set_grace(struct supervise_cfg *cfg, const char *what, const char *v)
{
    if (parse_seconds_ms(v, &cfg->grace_ms) != 0)
        return bad(what, v, "use seconds, e.g. 10 or 2.5");
    return 0;
}

static int set_hook_timeout(struct supervise_cfg *cfg, const char *what, const char *v)
{
    long ms;
    if (parse_seconds_ms(v, &ms) != 0)
        return bad(what, v, "use seconds, e.g. 5");
    cfg->start.timeout_ms = ms;
    cfg->stop.timeout_ms = ms;
    return 0;
}

static int add_rewrite(struct supervise_cfg *cfg, const char *what, const char *v)
{
    char err[200];
    if (sigmap_parse(&cfg->remap, v, err, sizeof err) != 0)
        return bad(what, v, err);
    return 0;
}

/* One code, or a list separated by commas or blanks. */
static int add_success_exit(struct supervise_cfg *cfg, const char *what, const char *v)
{
    char buf[256];
    long code;
    int n = 0;
    snprintf(buf, sizeof buf, "%s", v);
    char *save = NULL;
    for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save), n++) {
        if (parse_long(t, 0, 255, &code) != 0)
            return bad(what, v, "use exit codes from 0 to 255, e.g. 143");
        cfg->success_exit[code] = 1;
    }
    return n ? 0 : bad(what, v, "use exit codes from 0 to 255, e.g. 143");
}

static int set_pgroup(struct supervise_cfg *cfg, const char *what, const char *v)
{
    int b = parse_bool(v);
    if (b < 0)
        return bad(what, v, "use 1 or 0");
    cfg->pgroup = b;
    return 0;
}

/* The timeout is --hook-timeout's (supervise_defaults: 5 s), whichever came first. */
static void set_hook(struct hook *h, const char *name, const char *cmd)
{
    h->name = name;
    h->run = run_shell_hook;
    h->arg = (void *)cmd;
}

static int env_apply(struct supervise_cfg *cfg, const char *name,
                     int (*apply)(struct supervise_cfg *, const char *, const char *))
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    return apply(cfg, name, v);
}

int opts_from_env(struct supervise_cfg *cfg)
{
    if (env_apply(cfg, "ZKINIT_PGROUP", set_pgroup) || env_apply(cfg, "ZKINIT_GRACE", set_grace) ||
        env_apply(cfg, "ZKINIT_REWRITE", add_rewrite) ||
        env_apply(cfg, "ZKINIT_SUCCESS_EXIT", add_success_exit) ||
        env_apply(cfg, "ZKINIT_HOOK_TIMEOUT", set_hook_timeout))
        return EXIT_USAGE;
    const char *v = getenv("ZKINIT_USER");
    if (v && *v)
        cfg->user = v;
    if ((v = getenv("ZKINIT_ON_START")) && *v)
        set_hook(&cfg->start, "on-start", v);
    if ((v = getenv("ZKINIT_ON_STOP")) && *v)
        set_hook(&cfg->stop, "on-stop", v);
    return 0;
}

enum { OPT_ON_START = 256, OPT_ON_STOP, OPT_HOOK_TIMEOUT };

static const struct option long_opts[] = {
    {"pgroup", no_argument, NULL, 'g'},
    {"grace", required_argument, NULL, 't'},
    {"user", required_argument, NULL, 'u'},
    {"rewrite", required_argument, NULL, 'r'},
    {"success-exit", required_argument, NULL, 'e'},
    {"on-start", required_argument, NULL, OPT_ON_START},
    {"on-stop", required_argument, NULL, OPT_ON_STOP},
    {"hook-timeout", required_argument, NULL, OPT_HOOK_TIMEOUT},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* The option as the user wrote it, for error messages. */
static const char *opt_word(int argc, char **argv)
{
    int i = optind - 1;
    return i > 0 && i < argc ? argv[i] : "?";
}

static int apply_flag(struct supervise_cfg *cfg, int c, int argc, char **argv)
{
    const char *w = opt_word(argc, argv);
    switch (c) {
    case 'g':
        cfg->pgroup = 1;
        return 0;
    case 't':
        return set_grace(cfg, "--grace", optarg);
    case 'u':
        cfg->user = optarg;
        return 0;
    case 'r':
        return add_rewrite(cfg, "--rewrite", optarg);
    case 'e':
        return add_success_exit(cfg, "--success-exit", optarg);
    case OPT_ON_START:
        set_hook(&cfg->start, "on-start", optarg);
        return 0;
    case OPT_ON_STOP:
        set_hook(&cfg->stop, "on-stop", optarg);
        return 0;
    case OPT_HOOK_TIMEOUT:
        return set_hook_timeout(cfg, "--hook-timeout", optarg);
    case ':':
        log_error("option needs a value", "option=%s hint=\"see zkinit --help\"", w);
        return -1;
    default:
        log_error("unknown option", "option=%s hint=\"see zkinit --help; put -- before COMMAND\"",
                  w);
        return -1;
    }
}

int opts_parse_generic(int argc, char **argv, struct supervise_cfg *cfg)
{
    supervise_defaults(cfg);
    if (opts_from_env(cfg) != 0)
        return EXIT_USAGE;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+:gt:u:r:e:hV", long_opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (c == 'V') {
            printf("zkinit %s\n", ZKINIT_VERSION);
            return 0;
        }
        if (apply_flag(cfg, c, argc, argv) != 0)
            return EXIT_USAGE;
    }
    if (optind >= argc) {
        log_error("no COMMAND given", "hint=\"usage: zkinit [OPTIONS] -- COMMAND [ARG...]\"");
        return EXIT_USAGE;
    }
    cfg->argv = argv + optind;
    return -1;
}
