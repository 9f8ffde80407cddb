/* supervise.c - the PID-1 loop: one signalfd, waitpid(-1) until nothing is left, and one state
 * (supervise.h enum sup_state) with the one deadline that belongs to it. No signal handlers, no
 * allocation. */
#include "core/supervise.h"

#include "util/clock.h"

#include "core/spawn.h"
#include "core/subtree.h"
#include "util/exitcodes.h"
#include "util/log.h"
#include "util/secret.h"

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
#define DEFAULT_HOOK_TIMEOUT_MS 5000
#define CHAIN_MAX 2 /* the role's hook, then the user's */

enum { CHAIN_START, CHAIN_STOP };

static const char *const state_names[] = {"running",  "stop-hook", "grace",
                                          "draining", "killed",    "done"};

struct chain {
    const struct hook *hooks[CHAIN_MAX];
    int n;
};

struct sup {
    const struct supervise_cfg *cfg;
    const struct user_ids *ids; /* COMMAND's identity, for the hooks too */
    int sfd;
    enum sup_state state;
    long deadline; /* the state's deadline (monotonic ms), 0 = none */
    pid_t child;
    int child_done;
    int child_status;
    int has_children; /* waitpid(-1) still has someone to wait for */
    int orphans_signalled;
    struct chain chains[2];
    int step;         /* the running hook's index in the state's chain */
    pid_t hook_pid;   /* 0 when none runs */
    int pending_stop; /* the stop signal that waits for the stop hooks */
    int escalated;
    int internal_error;
};

void supervise_defaults(struct supervise_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->grace_ms = 10000;
    cfg->start.timeout_ms = DEFAULT_HOOK_TIMEOUT_MS;
    cfg->stop.timeout_ms = DEFAULT_HOOK_TIMEOUT_MS;
    sigmap_init(&cfg->remap);
}

int supervise_exit_code(const struct sup_outcome *o)
{
    if (o->internal_error)
        return EXIT_INTERNAL;
    if (!o->command_exited)
        return o->escalated ? 128 + SIGKILL : EXIT_INTERNAL;
    int code = WIFSIGNALED(o->status) ? 128 + WTERMSIG(o->status) : WEXITSTATUS(o->status);
    if (o->success_exit && o->success_exit[code])
        return 0;
    return code;
}

static void set_state(struct sup *s, enum sup_state st, long deadline)
{
    if (s->state != st)
        log_debug("supervisor state", "from=%s to=%s", state_names[s->state], state_names[st]);
    s->state = st;
    s->deadline = deadline;
}

static int is_stop_signal(const struct sup *s, int sig)
{
    return sig == SIGTERM || sig == SIGINT || (sig == SIGQUIT && !s->cfg->quit_is_not_stop);
}

static void chain_init(struct chain *c, const struct hook *role, const struct hook *user)
{
    c->n = 0;
    if (role->run)
        c->hooks[c->n++] = role;
    if (user->run)
        c->hooks[c->n++] = user;
}

/* RUNNING after the start hooks: only the periodic hook runs (if any). */
static int ticking(const struct sup *s)
{
    return s->state == SUP_RUNNING && s->step >= s->chains[CHAIN_START].n;
}

static const struct hook *current_hook(const struct sup *s)
{
    const struct chain *c = &s->chains[s->state == SUP_STOP_HOOK ? CHAIN_STOP : CHAIN_START];
    return ticking(s) ? &s->cfg->role_tick : c->hooks[s->step];
}

/* The next periodic round's time as the state's deadline (none without a periodic hook). */
static void schedule_tick(struct sup *s)
{
    s->deadline = s->cfg->role_tick.run ? clock_ms() + s->cfg->tick_every_ms : 0;
}

/* Starts the hook at S->step of the state's chain; 0, or -1 when it could not be forked. */
static int start_hook(struct sup *s)
{
    const struct hook *h = current_hook(s);
    struct spawn_hook_args a = {h->name, h->run, h->arg, s->ids, s->child, s->sfd};
    pid_t pid = spawn_hook(&a);
    if (pid < 0) {
        log_error("cannot start hook", "hook=%s error=\"%s\"", h->name, strerror(errno));
        return -1;
    }
    s->hook_pid = pid;
    s->deadline = clock_ms() + h->timeout_ms;
    if (ticking(s))
        return 0; /* a round every few seconds: its own log says what it did */
    log_debug("hook started", "hook=%s pid=%d timeout_ms=%ld", h->name, (int)pid, h->timeout_ms);
    return 0;
}

/* SIGKILL to the running hook. Its zombie is reaped whenever the kernel lets it go (a process in
 * uninterruptible sleep, or traced, may take long): nothing waits for that. */
static void kill_hook(struct sup *s, const char *why)
{
    if (!s->hook_pid)
        return;
    log_warn("stopping hook", "hook=%s reason=\"%s\"", current_hook(s)->name, why);
    kill(-s->hook_pid, SIGKILL);
    kill(s->hook_pid, SIGKILL);
    s->hook_pid = 0;
    s->deadline = 0;
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

/* -> GRACE: the stop signal goes to COMMAND, the grace period starts. */
static void enter_grace(struct sup *s, int sig)
{
    s->pending_stop = 0;
    forward(s, sig);
    set_state(s, SUP_GRACE, clock_ms() + s->cfg->grace_ms);
}

/* The next hook of the state's chain from S->step on; a hook that cannot start is skipped. When
 * the chain is over: RUNNING stays without a deadline, STOP_HOOK forwards the stop signal. */
static void run_chain(struct sup *s)
{
    const struct chain *c = &s->chains[s->state == SUP_STOP_HOOK ? CHAIN_STOP : CHAIN_START];
    for (; s->step < c->n; s->step++) {
        if (start_hook(s) == 0)
            return;
    }
    if (s->state == SUP_STOP_HOOK)
        enter_grace(s, s->pending_stop);
    else
        schedule_tick(s);
}

static void next_hook(struct sup *s)
{
    if (ticking(s)) {
        schedule_tick(s);
        return;
    }
    s->step++;
    run_chain(s);
}

static void on_stop_signal(struct sup *s, int sig)
{
    switch (s->state) {
    case SUP_RUNNING:
        kill_hook(s, "stopping");
        s->pending_stop = sig;
        s->step = 0;
        set_state(s, SUP_STOP_HOOK, 0);
        run_chain(s);
        return;
    case SUP_STOP_HOOK: /* a second stop signal while the stop hooks run: stop now */
        kill_hook(s, "second stop signal");
        enter_grace(s, sig);
        return;
    default: /* GRACE: forwarded as it is; after COMMAND exited: nobody to forward to */
        forward(s, sig);
        return;
    }
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

static void hook_exited(struct sup *s, int status)
{
    const char *name = current_hook(s)->name;
    s->hook_pid = 0;
    if (ticking(s) && WIFEXITED(status))
        log_debug("periodic hook finished", "hook=%s status=%d", name, WEXITSTATUS(status));
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        log_info("hook finished", "hook=%s", name);
    else if (WIFEXITED(status))
        log_warn("hook failed", "hook=%s status=%d", name, WEXITSTATUS(status));
    else
        log_warn("hook killed", "hook=%s signal=%d", name, WTERMSIG(status));
    next_hook(s);
}

/* -> DRAINING (or stays KILLED): what is left of the subtree gets the rest of the grace period. */
static void child_exited(struct sup *s, int status)
{
    s->child_done = 1;
    s->child_status = status;
    if (WIFSIGNALED(status))
        log_info("command exited", "pid=%d signal=%d", (int)s->child, WTERMSIG(status));
    else
        log_info("command exited", "pid=%d status=%d", (int)s->child, WEXITSTATUS(status));
    kill_hook(s, "command exited");
    s->pending_stop = 0;
    if (s->state == SUP_KILLED)
        return;
    long rest = s->state == SUP_GRACE ? s->deadline : clock_ms() + s->cfg->grace_ms;
    set_state(s, SUP_DRAINING, rest);
}

static void reap(struct sup *s)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            if (pid == s->child)
                child_exited(s, status);
            else if (pid == s->hook_pid)
                hook_exited(s, status);
            continue; /* an orphan, or a hook abandoned at its deadline */
        }
        if (pid < 0 && errno == EINTR)
            continue;
        s->has_children = pid == 0;
        return;
    }
}

/* -> KILLED: SIGKILL to COMMAND's group (when it still runs) and to the whole subtree. */
static void escalate(struct sup *s)
{
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
    set_state(s, SUP_KILLED, clock_ms() + LAST_RESORT_MS);
}

static void on_deadline(struct sup *s)
{
    switch (s->state) {
    case SUP_RUNNING:
        if (ticking(s) && !s->hook_pid) { /* time for the next periodic round */
            if (start_hook(s) != 0)
                schedule_tick(s);
            return;
        }
        kill_hook(s, "deadline");
        next_hook(s);
        return;
    case SUP_STOP_HOOK: /* the stop signal goes on at the deadline, reaped or not */
        kill_hook(s, "deadline");
        next_hook(s);
        return;
    case SUP_GRACE:
    case SUP_DRAINING:
        escalate(s);
        return;
    case SUP_KILLED:
        log_error("processes survived SIGKILL; exiting anyway", "waited_ms=%d", LAST_RESORT_MS);
        set_state(s, SUP_DONE, 0);
        return;
    case SUP_DONE:
        return;
    }
}

/* After COMMAND exited: SIGTERM once to whatever is left of the subtree. */
static void drain(struct sup *s)
{
    if (s->state != SUP_DRAINING || s->orphans_signalled)
        return;
    s->orphans_signalled = 1;
    int n = subtree_signal(SIGTERM);
    log_info("command exited; asking remaining processes to stop", "processes=%d", n);
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

/* An internal error: nothing can be supervised any more, so nothing is left running. */
static void fail(struct sup *s, const char *what)
{
    log_error(what, "error=\"%s\" hint=\"killing every process; zkinit exits 70\"",
              strerror(errno));
    if (!s->child_done)
        kill(-s->child, SIGKILL);
    subtree_signal(SIGKILL);
    s->internal_error = 1;
    set_state(s, SUP_DONE, 0);
}

static void wait_event(struct sup *s)
{
    int timeout = -1;
    if (s->deadline) {
        long left = s->deadline - clock_ms();
        timeout = left < 0 ? 0 : (int)left;
    }
    struct pollfd p = {.fd = s->sfd, .events = POLLIN};
    if (poll(&p, 1, timeout) < 0 && errno != EINTR) {
        fail(s, "poll failed");
        return;
    }
    if (p.revents & POLLIN)
        drain_signals(s);
    if (s->deadline && clock_ms() >= s->deadline)
        on_deadline(s);
}

static void loop(struct sup *s)
{
    while (s->state != SUP_DONE) {
        reap(s);
        if (s->child_done && !s->has_children) {
            set_state(s, SUP_DONE, 0);
            break;
        }
        drain(s);
        wait_event(s);
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

static int finish(struct sup *s)
{
    struct sup_outcome o = {s->child_done, s->child_status, s->escalated, s->internal_error,
                            s->cfg->success_exit};
    close(s->sfd);
    return supervise_exit_code(&o);
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
    s.ids = cfg->user ? &ids : NULL;
    chain_init(&s.chains[CHAIN_START], &cfg->role_start, &cfg->start);
    chain_init(&s.chains[CHAIN_STOP], &cfg->role_stop, &cfg->stop);
    if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        log_warn("cannot become child subreaper; orphans will not be reaped", "error=\"%s\"",
                 strerror(errno));
    if (setup_signals(&s) != 0)
        return EXIT_INTERNAL;
    secret_scrub_env();
    int code = 0;
    s.child = spawn_command(cfg->argv, s.ids, &code);
    if (s.child < 0) {
        close(s.sfd);
        return code;
    }
    log_debug("command started", "pid=%d command=\"%s\"", (int)s.child, cfg->argv[0]);
    set_state(&s, SUP_RUNNING, 0);
    run_chain(&s);
    loop(&s);
    return finish(&s);
}
