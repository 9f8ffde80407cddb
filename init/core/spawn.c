/* spawn.c - fork and exec COMMAND; exec failures come back through a close-on-exec pipe. */
#include "core/spawn.h"

#include "core/fds.h"
#include "util/exitcodes.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { STAGE_USER = 1, STAGE_EXEC = 2 };

struct failure {
    int stage;
    int err;
};

/* The kernel's sigaction, all zero: SIG_DFL, no flags, empty mask, whatever the field order. The
 * raw system call also reaches the signals glibc and musl reserve (32-34), which an ignoring
 * parent may have left ignored and which sigaction(3) refuses to touch. */
static void reset_disposition(int sig)
{
    unsigned long dfl[4] = {0, 0, 0, 0};
    syscall(SYS_rt_sigaction, sig, dfl, NULL, (size_t)8);
}

void spawn_reset_signals(void)
{
    for (int sig = 1; sig <= 64; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            reset_disposition(sig);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Whether zkinit owns the terminal on stdin, so COMMAND should get its foreground. */
static int owns_terminal(void)
{
    return isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
}

static void report_and_exit(int fd, int stage)
{
    struct failure f = {stage, errno};
    ssize_t w = write(fd, &f, sizeof f);
    (void)w;
    _exit(stage == STAGE_EXEC && f.err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/* COMMAND inherits 0-2 and its activation sockets (LISTEN_PID then names COMMAND); zkinit's
 * own descriptors and whatever else it inherited are closed on exec. LISTEN is the count. */
static void keep_listen_fds(int listen)
{
    fds_cloexec_from(3 + listen);
    if (listen) {
        char pid[24];
        snprintf(pid, sizeof pid, "%d", (int)getpid());
        setenv("LISTEN_PID", pid, 1);
    }
}

/* The child: runs with every signal still blocked until the exec. */
static void exec_child(char **argv, const struct user_ids *ids, int tty, int fd, int listen)
{
    setpgid(0, 0);
    if (tty)
        tcsetpgrp(STDIN_FILENO, getpid()); /* SIGTTOU is blocked here */
    if (ids && user_switch(ids) != 0)
        report_and_exit(fd, STAGE_USER);
    keep_listen_fds(listen);
    spawn_reset_signals();
    execvp(argv[0], argv);
    report_and_exit(fd, STAGE_EXEC);
}

static int failure_exit_code(char **argv, const struct failure *f)
{
    if (f->stage == STAGE_USER) {
        log_error("cannot switch user before exec",
                  "error=\"%s\" hint=\"zkinit must run as root to use --user\"", strerror(f->err));
        return EXIT_NOEXEC;
    }
    if (f->err == ENOENT) {
        log_error("command not found", "command=\"%s\" hint=\"check the name and PATH\"", argv[0]);
        return EXIT_NOTFOUND;
    }
    log_error("command cannot be executed", "command=\"%s\" error=\"%s\"", argv[0],
              strerror(f->err));
    return EXIT_NOEXEC;
}

pid_t spawn_command(char **argv, const struct user_ids *ids, int *exit_code)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        log_error("pipe failed", "error=\"%s\"", strerror(errno));
        *exit_code = EXIT_INTERNAL;
        return -1;
    }
    int tty = owns_terminal();
    int listen = fds_listen_count(getenv("LISTEN_FDS"), getenv("LISTEN_PID"), (long)getpid());
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        exec_child(argv, ids, tty, fds[1], listen);
    }
    close(fds[1]);
    if (pid < 0) {
        log_error("fork failed", "error=\"%s\"", strerror(errno));
        close(fds[0]);
        *exit_code = EXIT_INTERNAL;
        return -1;
    }
    setpgid(pid, pid); /* also here, so signals to the group cannot race the child's setpgid */
    struct failure f;
    ssize_t n;
    do {
        n = read(fds[0], &f, sizeof f);
    } while (n < 0 && errno == EINTR);
    close(fds[0]);
    if (n != (ssize_t)sizeof f)
        return pid;
    waitpid(pid, NULL, 0);
    *exit_code = failure_exit_code(argv, &f);
    return -1;
}

/* The hook process, before its function runs. */
static void hook_child(const struct spawn_hook_args *a)
{
    char buf[24];
    if (a->close_fd >= 0)
        close(a->close_fd);
    setpgid(0, 0);
    if (a->ids && user_switch(a->ids) != 0) {
        log_error("cannot switch user before a hook", "hook=%s error=\"%s\"", a->name,
                  strerror(errno));
        _exit(EXIT_NOEXEC);
    }
    fds_cloexec_from(3);
    unsetenv("LISTEN_FDS"); /* the activation sockets are COMMAND's */
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDNAMES");
    spawn_reset_signals();
    snprintf(buf, sizeof buf, "%d", (int)a->command);
    setenv("ZKINIT_CHILD_PID", buf, 1);
    _exit(a->run(a->arg) & 0xff);
}

pid_t spawn_hook(const struct spawn_hook_args *a)
{
    pid_t pid = fork();
    if (pid == 0)
        hook_child(a);
    if (pid > 0)
        setpgid(pid, pid);
    return pid;
}
