/* supervise.c - the PID-1 loop: one signalfd, waitpid(-1) until nothing is left, deadlines for
 * the stop hook, the grace period and the orphan cleanup. No signal handlers, no allocation. */
#include "supervise.h"

#include "clock.h"

#include "exitcodes.h"
#include "log.h"
#include "secret.h"
#include "spawn.h"
#include "subtree.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LAST_RESORT_MS 5000 /* after SIGKILL of everything: stop waiting for stuck processes */

enum { HOOK_START, HOOK_STOP, HOOK_COUNT };

struct hook_run {
    pid_t pid;     /* 0 when not running */
    long deadline; /* monotonic ms */
    int started;   /* ran (or is running) already */
};

struct sup {
    const struct supervise_cfg *cfg;
    int sfd;
    pid_t child;
    int child_done;
    int child_status;
    int has_children; /* waitpid(-1) still has someone to wait for */
    struct hook_run hooks[HOOK_COUNT];
    int pending_stop;      /* received stop signal waiting for the stop hook */
    long kill_deadline;    /* grace period end, 0 = none */
    long final_deadline;   /* after escalation, 0 = none */
    int orphans_signalled; /* SIGTERM sent to the subtree after COMMAND exited */
    int escalated;
};

void supervise_defaults(struct supervise_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->grace_ms = 10000;
    sigmap_init(&cfg->remap);
}

static int is_stop_signal(const struct sup *s, int sig)
{
    return sig == SIGTERM || sig == SIGINT || (sig == SIGQUIT && !s->cfg->quit_is_not_stop);
}

static const struct hook *hook_cfg(const struct sup *s, int which)
{
    return which == HOOK_START ? &s->cfg->start : &s->cfg->stop;
}

/* The hook process: default signal state, own process group, COMMAND's pid in the environment. */
static void start_hook(struct sup *s, int which)
{
    const struct hook *h = hook_cfg(s, which);
    struct hook_run *r = &s->hooks[which];
    r->started = 1;
    pid_t pid = fork();
    if (pid == 0) {
        char buf[24];
        close(s->sfd);
        setpgid(0, 0);
        spawn_reset_signals();
        snprintf(buf, sizeof buf, "%d", (int)s->child);
        setenv("ZKINIT_CHILD_PID", buf, 1);
        _exit(h->run(h->arg) & 0xff);
    }
    if (pid < 0) {
        log_error("cannot start hook", "hook=%s error=\"%s\"", h->name, strerror(errno));
        return;
    }
    setpgid(pid, pid);
    r->pid = pid;
    r->deadline = clock_ms() + h->timeout_ms;
    log_debug("hook started", "hook=%s pid=%d timeout_ms=%ld", h->name, (int)pid, h->timeout_ms);
}

static void kill_hook(struct sup *s, int which, const char *why)
{
    struct hook_run *r = &s->hooks[which];
    if (!r->pid)
        return;
    log_warn("stopping hook", "hook=%s reason=\"%s\"", hook_cfg(s, which)->name, why);
    kill(-r->pid, SIGKILL);
    kill(r->pid, SIGKILL);
    r->deadline = 0;
}

static void forward(struct sup *s, int received)
{
    int sig = s->cfg->remap.to[received];
    char a[16], b[16];
    if (s->child_done)
        return;
    if (sig == 0) {
        log_debug("signal dropped", "signal=%s", sig_name(received, a, sizeof a));
        return;
    }
    log_debug("forwarding signal", "signal=%s as=%s", sig_name(received, a, sizeof a),
              sig_name(sig, b, sizeof b));
    pid_t target = s->cfg->pgroup ? -s->child : s->child;
    if (kill(target, sig) != 0 && s->cfg->pgroup)
        kill(s->child, sig); /* COMMAND left its group (setsid): still reach COMMAND */
}

static void forward_stop(struct sup *s, int received)
{
    forward(s, received);
    if (!s->kill_deadline)
        s->kill_deadline = clock_ms() + s->cfg->grace_ms;
}

static void on_stop_signal(struct sup *s, int sig)
{
    struct hook_run *stop = &s->hooks[HOOK_STOP];
    if (s->child_done)
        return;
    if (stop->pid) { /* a second stop signal while the stop hook runs: stop now */
        kill_hook(s, HOOK_STOP, "second stop signal");
        s->pending_stop = 0;
        forward_stop(s, sig);
        return;
    }
    if (s->cfg->stop.run && !stop->started) {
        kill_hook(s, HOOK_START, "stopping");
        s->pending_stop = sig;
        start_hook(s, HOOK_STOP);
        if (stop->pid)
            return;
    }
    forward_stop(s, sig);
}

static void on_signal(struct sup *s, const struct signalfd_siginfo *si)
{
    int sig = (int)si->ssi_signo;
    if (sig == SIGCHLD || (pid_t)si->ssi_pid == getpid())
        return; /* reaping happens in the loop; our own SIGPIPE is not COMMAND's business */
    if (is_stop_signal(s, sig))
        on_stop_signal(s, sig);
    else
        forward(s, sig);
}

static void hook_exited(struct sup *s, int which, int status)
{
    const struct hook *h = hook_cfg(s, which);
    s->hooks[which].pid = 0;
    s->hooks[which].deadline = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        log_info("hook finished", "hook=%s", h->name);
    else if (WIFEXITED(status))
        log_warn("hook failed", "hook=%s status=%d", h->name, WEXITSTATUS(status));
    else
        log_warn("hook killed", "hook=%s signal=%d", h->name, WTERMSIG(status));
    if (which == HOOK_STOP && s->pending_stop) {
        int sig = s->pending_stop;
        s->pending_stop = 0;
        forward_stop(s, sig);
    }
}

static void child_exited(struct sup *s, int status)
{
    s->child_done = 1;
    s->child_status = status;
    if (WIFSIGNALED(status))
        log_info("command exited", "pid=%d signal=%d", (int)s->child, WTERMSIG(status));
    else
        log_info("command exited", "pid=%d status=%d", (int)s->child, WEXITSTATUS(status));
    kill_hook(s, HOOK_START, "command exited");
    kill_hook(s, HOOK_STOP, "command exited");
}

static void reap(struct sup *s)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            if (pid == s->child)
                child_exited(s, status);
            else if (pid == s->hooks[HOOK_START].pid)
                hook_exited(s, HOOK_START, status);
            else if (pid == s->hooks[HOOK_STOP].pid)
                hook_exited(s, HOOK_STOP, status);
            continue;
        }
        if (pid < 0 && errno == EINTR)
            continue;
        s->has_children = pid == 0;
        return;
    }
}

static void escalate(struct sup *s)
{
    s->kill_deadline = 0;
    s->final_deadline = clock_ms() + LAST_RESORT_MS;
    if (!s->child_done) {
        log_warn("grace period over; killing the command's process group", "pid=%d grace_ms=%ld",
                 (int)s->child, s->cfg->grace_ms);
        kill(-s->child, SIGKILL);
        kill(s->child, SIGKILL);
        s->escalated = 1;
    } else {
        log_warn("grace period over; killing the remaining processes", NULL);
    }
    subtree_signal(SIGKILL);
}

/* After COMMAND exited: SIGTERM to whatever is left, SIGKILL when the grace period is over. */
static void cleanup_orphans(struct sup *s)
{
    if (s->orphans_signalled || !s->has_children)
        return;
    s->orphans_signalled = 1;
    int n = subtree_signal(SIGTERM);
    log_info("command exited; asking remaining processes to stop", "processes=%d", n);
    if (!s->kill_deadline && !s->final_deadline)
        s->kill_deadline = clock_ms() + s->cfg->grace_ms;
}

static long next_deadline(const struct sup *s)
{
    long d = 0;
    const long cands[] = {s->hooks[HOOK_START].deadline, s->hooks[HOOK_STOP].deadline,
                          s->kill_deadline, s->final_deadline};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        if (cands[i] && (!d || cands[i] < d))
            d = cands[i];
    }
    return d;
}

static void check_deadlines(struct sup *s)
{
    long now = clock_ms();
    for (int w = 0; w < HOOK_COUNT; w++) {
        if (s->hooks[w].deadline && now >= s->hooks[w].deadline)
            kill_hook(s, w, "deadline");
    }
    if (s->kill_deadline && now >= s->kill_deadline)
        escalate(s);
}

static void drain_signals(struct sup *s)
{
    struct signalfd_siginfo si[16];
    for (;;) {
        ssize_t n = read(s->sfd, si, sizeof si);
        if (n <= 0)
            return;
        for (size_t i = 0; i < (size_t)n / sizeof si[0]; i++)
            on_signal(s, &si[i]);
    }
}

static int wait_event(struct sup *s)
{
    long d = next_deadline(s);
    int timeout = -1;
    if (d) {
        long left = d - clock_ms();
        timeout = left < 0 ? 0 : (int)left;
    }
    struct pollfd p = {.fd = s->sfd, .events = POLLIN};
    if (poll(&p, 1, timeout) < 0 && errno != EINTR) {
        log_error("poll failed", "error=\"%s\"", strerror(errno));
        return -1;
    }
    if (p.revents & POLLIN)
        drain_signals(s);
    return 0;
}

static int exit_code_of(const struct sup *s)
{
    int code = WIFSIGNALED(s->child_status) ? 128 + WTERMSIG(s->child_status)
                                            : WEXITSTATUS(s->child_status);
    if (s->cfg->success_exit[code])
        return 0;
    return code;
}

static void loop(struct sup *s)
{
    for (;;) {
        reap(s);
        if (s->child_done && !s->has_children)
            return;
        if (s->child_done)
            cleanup_orphans(s);
        if (s->final_deadline && clock_ms() >= s->final_deadline) {
            log_error("processes survived SIGKILL; exiting anyway", NULL);
            return;
        }
        if (wait_event(s) != 0)
            return;
        check_deadlines(s);
    }
}

/* Blocks every signal and opens the signalfd; SIGCHLD back to default so zombies stay waitable.
 * The set is filled by hand: musl's sigfillset leaves out 32-34, which musl reserves for threads
 * this process never has (a ZooKeeper client only ever runs in a forked hook), and a real-time
 * signal that is neither blocked nor handled would kill zkinit when it is not PID 1. */
static int setup_signals(struct sup *s)
{
    sigset_t all;
    memset(&all, 0xff, sizeof all);
    signal(SIGCHLD, SIG_DFL);
    if (sigprocmask(SIG_SETMASK, &all, NULL) != 0) {
        log_error("sigprocmask failed", "error=\"%s\"", strerror(errno));
        return -1;
    }
    s->sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
    if (s->sfd < 0) {
        log_error("signalfd failed", "error=\"%s\"", strerror(errno));
        return -1;
    }
    return 0;
}

int supervise(const struct supervise_cfg *cfg)
{
    struct sup s;
    struct user_ids ids;
    char err[256];
    memset(&s, 0, sizeof s);
    s.cfg = cfg;
    if (cfg->user && user_resolve(cfg->user, &ids, err, sizeof err) != 0) {
        log_error("bad --user", "problem=\"%s\"", err);
        return EXIT_USAGE;
    }
    if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        log_warn("cannot become child subreaper; orphans will not be reaped", "error=\"%s\"",
                 strerror(errno));
    if (setup_signals(&s) != 0)
        return EXIT_INTERNAL;
    secret_scrub_env();
    int code = 0;
    s.child = spawn_command(cfg->argv, cfg->user ? &ids : NULL, &code);
    if (s.child < 0)
        return code;
    log_debug("command started", "pid=%d command=\"%s\"", (int)s.child, cfg->argv[0]);
    if (cfg->start.run)
        start_hook(&s, HOOK_START);
    loop(&s);
    close(s.sfd);
    return exit_code_of(&s);
}
