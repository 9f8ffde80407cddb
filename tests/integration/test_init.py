"""The generic init (SPEC.md "Generic init"): exit codes, signal forwarding, reaping, grace
period, orphan cleanup, exec failures, --user, hooks, terminal, options. zkinit runs as PID 1
of a new pid namespace (unshare) and, where it matters, as a plain child subreaper."""
import contextlib
import ctypes
import os
import pathlib
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from conftest import ZKINIT, base_env, children_of, pid1_argv, run, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
CATCHER = [sys.executable if sys.executable.startswith("/usr/bin") else "/usr/bin/python3",
           os.path.join(HERE, "sigcatcher.py")]
MODES = ["pid1", "subreaper"]


def argv_for(mode, args):
    return pid1_argv(args) if mode == "pid1" else [ZKINIT] + list(args)


def start(procs, mode, args, env=None, **kw):
    """Starts zkinit ARGS in MODE; returns (Proc, zkinit's pid)."""
    p = procs.start(argv_for(mode, args), env=env or base_env(), **kw)
    pid = p.pid1() if mode == "pid1" else p.pid
    return p, pid


def lines(path):
    try:
        with open(path) as f:
            return f.read().split("\n")
    except FileNotFoundError:
        return []


def signals_seen(path):
    return [int(l.split()[1]) for l in lines(path) if l.startswith("sig ")]


def wait_ready(path):
    wait_for(lambda: any(l.startswith("ready") for l in lines(path)), what="sigcatcher ready")
    return int([l for l in lines(path) if l.startswith("ready")][0].split()[1])


def zombies_under(pid):
    """Zombie children of PID (seen from here)."""
    z = []
    for c in children_of(pid):
        try:
            with open(f"/proc/{c}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    z.append(c)
        except OSError:
            pass
    return z


# ---------------------------------------------------------------- exit status

def test_exit_codes_0_to_255_are_passed_through():
    for code in range(256):
        r = run(["sh", "-c", f"exit {code}"])
        assert r.returncode == code, (code, r.stderr)


@pytest.mark.parametrize("code", [0, 1, 2, 42, 126, 255])
def test_exit_codes_as_pid1(code):
    assert run(["sh", "-c", f"exit {code}"], pid1=True).returncode == code


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sig", ["TERM", "HUP", "INT", "QUIT", "USR1", "USR2", "KILL"])
def test_killed_by_signal_gives_128_plus_n(mode, sig):
    # the child kills itself, so this is about status reporting, not forwarding
    argv = argv_for(mode, ["sh", "-c", f"kill -s {sig} $$; sleep 5"])
    r = subprocess.run(argv, env=base_env(), capture_output=True, text=True, timeout=30)
    assert r.returncode == 128 + getattr(signal, "SIG" + sig), r.stderr


# ---------------------------------------------------------------- forwarding

FORWARDED = [s for s in range(1, 32) if s not in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD)]


@pytest.mark.parametrize("mode", MODES)
def test_every_catchable_signal_is_forwarded(procs, tmp_path, mode):
    out = tmp_path / "sigs"
    rt = list(range(signal.SIGRTMIN, signal.SIGRTMAX + 1))
    # the stop signals start a shutdown; send them last, one at a time
    others = [s for s in FORWARDED if s not in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)]
    p, pid = start(procs, mode, ["--", *CATCHER, str(out), str(int(signal.SIGTERM))])
    wait_ready(out)
    for s in others + rt:
        os.kill(pid, s)
        wait_for(lambda: s in signals_seen(out), timeout=10, what=f"signal {s} forwarded")
    os.kill(pid, signal.SIGQUIT)
    wait_for(lambda: signal.SIGQUIT in signals_seen(out), timeout=10, what="SIGQUIT forwarded")
    os.kill(pid, signal.SIGINT)
    wait_for(lambda: signal.SIGINT in signals_seen(out), timeout=10, what="SIGINT forwarded")
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 0  # the catcher exits on SIGTERM, and zkinit with it
    assert signals_seen(out)[-3:] == [signal.SIGQUIT, signal.SIGINT, signal.SIGTERM]


def test_signals_go_to_the_process_group_only_with_pgroup(procs, tmp_path):
    for flag, expect in (([], False), (["--pgroup"], True)):
        out = tmp_path / f"grandchild{len(flag)}"
        # sh waits for a grandchild in the same process group
        script = f"{' '.join(CATCHER)} {out} & wait"
        p, pid = start(procs, "pid1", [*flag, "--", "sh", "-c", script])
        wait_ready(out)
        os.kill(pid, signal.SIGUSR1)
        os.kill(pid, signal.SIGHUP)  # kills sh; with --pgroup the catcher records both
        p.wait(30)
        got = signals_seen(out)
        assert (signal.SIGUSR1 in got) == expect, got
        assert (signal.SIGHUP in got) == expect, got


def test_rewrite_maps_and_drops_signals(procs, tmp_path):
    out = tmp_path / "sigs"
    p, pid = start(procs, "pid1", ["--rewrite", "TERM:INT", "-r", "USR1:0", "--", *CATCHER, str(out),
                                   str(int(signal.SIGINT))])
    wait_ready(out)
    os.kill(pid, signal.SIGUSR1)
    os.kill(pid, signal.SIGUSR2)
    wait_for(lambda: signal.SIGUSR2 in signals_seen(out), what="USR2")
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 0
    got = signals_seen(out)
    assert signal.SIGUSR1 not in got and signal.SIGTERM not in got, got
    assert signal.SIGINT in got


def test_rewrite_from_environment(procs, tmp_path):
    out = tmp_path / "sigs"
    env = base_env(ZKINIT_REWRITE="TERM:USR2")
    p, pid = start(procs, "pid1", ["--", *CATCHER, str(out), str(int(signal.SIGUSR2))], env=env)
    wait_ready(out)
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 0
    assert signals_seen(out) == [signal.SIGUSR2]


# ---------------------------------------------------------------- reaping

def test_orphan_storm_leaves_no_zombies_as_pid1(procs):
    # 600 orphans exit while the command keeps running: all must be reaped by zkinit
    script = "for i in $(seq 600); do (true &); done; echo spawned; sleep 60"
    p, pid = start(procs, "pid1", ["--", "sh", "-c", script])
    wait_for(lambda: "spawned" in p.stdout(), what="orphans spawned")
    wait_for(lambda: not zombies_under(pid), timeout=30, what="zombies reaped")
    # nothing but the shell and its sleep remain below zkinit
    assert len(children_of(pid)) == 1


def test_orphans_are_adopted_and_reaped_when_not_pid1(procs):
    script = "(sleep 3 &); (sleep 3 &); echo spawned; sleep 60"
    p, pid = start(procs, "subreaper", ["--", "sh", "-c", script])
    wait_for(lambda: "spawned" in p.stdout(), what="orphans spawned")
    # the orphans' parent is zkinit (child subreaper), not the host's init
    wait_for(lambda: len(children_of(pid)) == 3, what="orphans adopted")
    wait_for(lambda: len(children_of(pid)) == 1, what="orphans reaped")
    assert not zombies_under(pid)


# ---------------------------------------------------------------- grace period and shutdown

@pytest.mark.parametrize("mode", MODES)
def test_command_ignoring_sigterm_is_killed_after_grace(procs, mode):
    script = "trap '' TERM; echo ready; while :; do sleep 0.1; done"
    p, pid = start(procs, mode, ["--grace", "0.5", "--", "sh", "-c", script])
    wait_for(lambda: "ready" in p.stdout(), what="ready")
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 137
    assert "grace period over" in p.stderr()


def test_command_that_never_reports_its_exit_gives_137_not_0(procs, tmp_path):
    """A COMMAND that survives SIGKILL (here its zombie is held by a tracer, as a process in D
    state would stay): zkinit gives up after the last-resort wait and exits 137, never 0."""
    pidfile, held = tmp_path / "command-pid", tmp_path / "held"
    script = f"trap '' TERM; echo $$ > {pidfile}.tmp; mv {pidfile}.tmp {pidfile}; " \
             "while :; do sleep 0.05; done"
    p, pid = start(procs, "subreaper", ["--grace", "0.5", "--", "sh", "-c", script])
    wait_for(pidfile.exists, what="command started")
    procs.start([CATCHER[0], os.path.join(HERE, "ptrace_hold.py"), pidfile.read_text().strip(),
                 "300", str(held)])
    wait_for(held.exists, what="command held by the tracer")
    os.kill(pid, signal.SIGTERM)
    assert p.wait(60) == 137
    assert "survived SIGKILL" in p.stderr()


def test_grace_from_environment(procs):
    script = "trap '' TERM; echo ready; while :; do sleep 0.1; done"
    p, pid = start(procs, "pid1", ["--", "sh", "-c", script], env=base_env(ZKINIT_GRACE="0.3"))
    wait_for(lambda: "ready" in p.stdout(), what="ready")
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 137


@pytest.mark.parametrize("mode", MODES)
def test_orphans_finish_their_cleanup_before_zkinit_exits(procs, tmp_path, mode):
    done, ready = tmp_path / "orphan-cleaned", tmp_path / "ready"
    # an orphan that needs 0.5 s after SIGTERM to clean up; the command exits once its trap is set
    orphan = f"trap 'sleep 0.5; echo ok > {done}; exit 0' TERM; : > {ready}; while :; do sleep 0.05; done"
    script = f"sh -c \"{orphan}\" & while [ ! -e {ready} ]; do sleep 0.01; done; exit 7"
    p, pid = start(procs, mode, ["--grace", "20", "--", "sh", "-c", script])
    assert p.wait(60) == 7
    assert done.read_text() == "ok\n"


@pytest.mark.parametrize("mode", MODES)
def test_orphans_ignoring_sigterm_are_killed_after_grace(procs, tmp_path, mode):
    pidfile = tmp_path / "orphan-pid"
    orphan = f"trap '' TERM; echo \\$\\$ > {pidfile}.tmp; mv {pidfile}.tmp {pidfile}; while :; do sleep 0.05; done"
    script = f"sh -c \"{orphan}\" & while [ ! -e {pidfile} ]; do sleep 0.01; done; exit 3"
    p, pid = start(procs, mode, ["--grace", "0.5", "--", "sh", "-c", script])
    assert p.wait(60) == 3
    assert "grace period over" in p.stderr()
    if mode == "subreaper":  # as PID 1 the kernel would kill it anyway; here zkinit must
        orphan_pid = int(pidfile.read_text())
        assert not os.path.exists(f"/proc/{orphan_pid}")


def test_success_exit_maps_code_to_zero(procs, tmp_path):
    p, pid = start(procs, "pid1", ["--success-exit", "143", "--", "sh", "-c", "echo ready; sleep 60"])
    wait_for(lambda: "ready" in p.stdout(), what="ready")
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 0
    r = run(["-e", "3,4", "--", "sh", "-c", "exit 4"])
    assert r.returncode == 0
    r = run(["--", "sh", "-c", "exit 4"], env=base_env(ZKINIT_SUCCESS_EXIT="4"))
    assert r.returncode == 0


# ---------------------------------------------------------------- exec and identity

def test_command_not_found_is_127():
    r = run(["/nonexistent/command"], pid1=True)
    assert r.returncode == 127
    assert "/nonexistent/command" in r.stderr


def test_command_not_executable_is_126(tmp_path):
    f = tmp_path / "script"
    f.write_text("#!/bin/sh\necho hi\n")
    f.chmod(0o644)
    assert run([str(f)]).returncode == 126
    assert run([str(tmp_path)]).returncode == 126


def test_user_switch():
    r = run(["--user", "nobody", "--", "sh", "-c", "id -u; id -G"], pid1=True)
    assert r.returncode == 0, r.stderr
    uid, groups = r.stdout.split("\n")[:2]
    assert uid == "65534"
    assert "0" not in groups.split()
    r = run(["--", "id", "-u"], env=base_env(ZKINIT_USER="65534:65534"))
    assert r.stdout.strip() == "65534"
    r = run(["-u", "nobody:nogroup", "--", "id", "-g"])
    assert r.stdout.strip() == "65534"


def test_unknown_user_is_64():
    r = run(["--user", "no-such-user-x", "--", "true"])
    assert r.returncode == 64
    assert "no-such-user-x" in r.stderr


def test_child_gets_default_signal_mask_and_dispositions():
    def ignore_and_block():
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGINT})
        # signal 32, reserved by libc, ignored through the raw system call (x86_64: 13)
        ctypes.CDLL(None).syscall(13, 32, (ctypes.c_ulong * 4)(1, 0, 0, 0), None, 8)

    for argv in ([ZKINIT], pid1_argv([])):
        r = subprocess.run(argv + ["--", "grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"],
                           env=base_env(), capture_output=True, text=True, timeout=30,
                           preexec_fn=ignore_and_block)
        assert r.returncode == 0, r.stderr
        for line in r.stdout.strip().split("\n"):
            assert int(line.split()[1], 16) == 0, line


# ---------------------------------------------------------------- hooks

def test_stop_hook_runs_before_the_signal_is_forwarded(procs, tmp_path):
    out, marker = tmp_path / "sigs", tmp_path / "hook-ran"
    hook = f"sleep 1; echo $ZKINIT_CHILD_PID > {marker}"
    p, pid = start(procs, "pid1", ["--on-stop", hook, "--", *CATCHER, str(out),
                                   str(int(signal.SIGTERM))])
    child = wait_ready(out)
    os.kill(pid, signal.SIGTERM)
    time.sleep(0.1)
    assert signals_seen(out) == []  # still held back while the hook runs
    assert p.wait(30) == 0
    assert marker.read_text().strip() == str(child)  # pid as seen inside the namespace
    assert signals_seen(out) == [signal.SIGTERM]


def test_stop_hook_deadline(procs, tmp_path):
    out = tmp_path / "sigs"
    p, pid = start(procs, "pid1", ["--on-stop", "sleep 600", "--hook-timeout", "0.5", "--",
                                   *CATCHER, str(out), str(int(signal.SIGTERM))])
    wait_ready(out)
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 0
    assert "deadline" in p.stderr()
    assert signals_seen(out) == [signal.SIGTERM]


def test_start_hook_runs_with_the_command(procs, tmp_path):
    marker = tmp_path / "started"
    env = base_env(ZKINIT_ON_START=f"echo $ZKINIT_CHILD_PID > {marker}")
    p, pid = start(procs, "subreaper", ["--", "sh", "-c", "echo $$; sleep 60"], env=env)
    wait_for(lambda: marker.exists() and marker.read_text().strip(), what="start hook")
    assert marker.read_text().strip() == p.stdout().strip()
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 143


def process_state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def test_a_stuck_stop_hook_does_not_hold_back_sigterm(procs, tmp_path):
    """The stop hook's deadline forwards the stop signal, whether or not the killed hook could be
    reaped: here a tracer holds the hook's zombie (as a hook in D state would stay)."""
    out, hook_pid, held = tmp_path / "sigs", tmp_path / "hook-pid", tmp_path / "held"
    hook = f"echo $$ > {hook_pid}.tmp; mv {hook_pid}.tmp {hook_pid}; exec sleep 600"
    p, pid = start(procs, "subreaper", ["--on-stop", hook, "--hook-timeout", "2", "--", *CATCHER,
                                        str(out), str(int(signal.SIGTERM))])
    wait_ready(out)
    os.kill(pid, signal.SIGTERM)
    wait_for(hook_pid.exists, what="stop hook started")
    hp = int(hook_pid.read_text())
    tracer = procs.start([CATCHER[0], os.path.join(HERE, "ptrace_hold.py"), str(hp), "300",
                          str(held)])
    wait_for(held.exists, what="hook held by the tracer")
    wait_for(lambda: signal.SIGTERM in signals_seen(out), timeout=120, what="SIGTERM forwarded")
    assert process_state(hp) == "Z"  # killed at its deadline, not reaped yet
    assert tracer.p.poll() is None
    assert "deadline" in p.stderr()
    tracer.kill()  # lets the zombie go: zkinit reaps it and exits with COMMAND's status
    assert p.wait(60) == 0


def test_a_second_stop_signal_ends_the_stop_hook(procs, tmp_path):
    out, started = tmp_path / "sigs", tmp_path / "hook-started"
    p, pid = start(procs, "pid1", ["--on-stop", f": > {started}; sleep 600", "--hook-timeout",
                                   "600", "--", *CATCHER, str(out), str(int(signal.SIGINT))])
    wait_ready(out)
    os.kill(pid, signal.SIGTERM)
    wait_for(started.exists, what="stop hook started")
    assert signals_seen(out) == []
    os.kill(pid, signal.SIGINT)  # a second stop: the hook is stopped, SIGINT forwarded now
    assert p.wait(60) == 0
    assert signals_seen(out) == [signal.SIGINT]
    assert "second stop signal" in p.stderr()


@pytest.mark.parametrize("order", ["timeout-first", "hook-first"])
def test_hook_timeout_applies_in_either_order(procs, tmp_path, order):
    out, marker = tmp_path / "sigs", tmp_path / "hook-finished"
    hook = ["--on-stop", f"sleep 3; : > {marker}"]
    timeout = ["--hook-timeout", "0"]  # 0: the hook is stopped at once (0 meant "unset" once)
    args = timeout + hook if order == "timeout-first" else hook + timeout
    p, pid = start(procs, "pid1", args + ["--", *CATCHER, str(out), str(int(signal.SIGTERM))])
    wait_ready(out)
    os.kill(pid, signal.SIGTERM)
    assert p.wait(60) == 0
    assert "deadline" in p.stderr()
    assert not marker.exists()


@pytest.mark.parametrize("mode", MODES)
def test_hooks_run_as_the_commands_user(procs, mode):
    with tempfile.TemporaryDirectory(prefix="zkinit-hook-user-") as d:
        hooks_run_as_the_commands_user(procs, mode, pathlib.Path(d))


def hooks_run_as_the_commands_user(procs, mode, shared):
    shared.chmod(0o777)  # pytest's tmp_path is not reachable for nobody
    start_uid, stop_uid = shared / "start-uid", shared / "stop-uid"
    script = "echo ready; trap 'exit 0' TERM; while :; do sleep 0.05; done"
    p, pid = start(procs, mode, ["--user", "nobody", "--on-start", f"id -u > {start_uid}",
                                 "--on-stop", f"id -u > {stop_uid}", "--", "sh", "-c", script])
    wait_for(lambda: start_uid.exists() and start_uid.read_text(), what="start hook")
    os.kill(pid, signal.SIGTERM)
    assert p.wait(60) == 0, p.stderr()
    assert start_uid.read_text().strip() == "65534"
    assert stop_uid.read_text().strip() == "65534"


# ---------------------------------------------------------------- file descriptors

def run_with_fds(args, env, fds):
    """Runs zkinit ARGS with the open files FDS {number: path} inherited (besides 0-2)."""
    def place():
        for num, path in fds.items():
            fd = os.open(path, os.O_RDONLY)
            os.dup2(fd, num)
            os.close(fd)

    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=30,
                          preexec_fn=place, pass_fds=tuple(fds), close_fds=True)


@pytest.mark.parametrize("mode", MODES)
def test_inherited_descriptors_do_not_reach_the_command(tmp_path, mode):
    f = tmp_path / "inherited"
    f.write_text("x")
    script = "for fd in 3 5 9; do [ -e /proc/$$/fd/$fd ] && echo open:$fd; done; echo done"
    r = run_with_fds(argv_for(mode, ["--", "sh", "-c", script]), base_env(),
                     {3: str(f), 5: str(f), 9: str(f)})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "done\n"


@pytest.mark.parametrize("mode", MODES)
def test_socket_activation_descriptors_are_passed_on(tmp_path, mode):
    f = tmp_path / "activation"
    f.write_text("x")
    script = ("for fd in 3 4 5; do [ -e /proc/$$/fd/$fd ] && echo open:$fd; done; "
              "[ \"$LISTEN_PID\" = $$ ] && echo pid:ok")
    env = base_env(LISTEN_FDS="2", LISTEN_PID="1" if mode == "pid1" else None)
    r = run_with_fds(argv_for(mode, ["--", "sh", "-c", script]), env,
                     {3: str(f), 4: str(f), 5: str(f)})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "open:3\nopen:4\npid:ok\n"


def test_activation_descriptors_of_another_process_are_closed(tmp_path):
    f = tmp_path / "activation"
    f.write_text("x")
    script = "[ -e /proc/$$/fd/3 ] && echo open:3; echo done"
    r = run_with_fds([ZKINIT, "--", "sh", "-c", script],
                     base_env(LISTEN_FDS="1", LISTEN_PID="999999"), {3: str(f)})
    assert r.stdout == "done\n"


# ---------------------------------------------------------------- terminal

@contextlib.contextmanager
def on_a_terminal(args):
    """Runs zkinit ARGS on a new pseudo-terminal; yields (pid, master fd); kills it at the end."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(ZKINIT, [ZKINIT] + args, base_env())
    try:
        yield pid, fd
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def exit_code_of(pid):
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_ctrl_c_on_a_terminal_reaches_the_command(tmp_path):
    out = tmp_path / "sigs"
    with on_a_terminal(["--", *CATCHER, str(out), str(int(signal.SIGINT))]) as (pid, fd):
        wait_ready(out)
        os.write(fd, b"\x03")  # the terminal sends SIGINT to its foreground group
        assert exit_code_of(pid) == 0
        assert signals_seen(out) == [signal.SIGINT]


def read_until(fd, needle, timeout=15):
    buf, deadline = b"", time.monotonic() + timeout
    while needle not in buf:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"timed out waiting for {needle!r}; got {buf!r}")
        try:
            buf += os.read(fd, 1024)
        except OSError:
            break
    return buf


def test_command_can_read_the_terminal_it_was_given():
    # only the terminal's foreground process group may read it (else SIGTTIN stops the reader)
    with on_a_terminal(["--", "sh", "-c", "echo ready; read line; echo got:$line"]) as (pid, fd):
        read_until(fd, b"ready")
        os.write(fd, b"hello\n")
        assert b"got:hello" in read_until(fd, b"got:hello")
        assert exit_code_of(pid) == 0


# ---------------------------------------------------------------- command line

def test_option_parsing_stops_at_the_first_non_option():
    r = run(["echo", "-l", "--grace"])
    assert r.returncode == 0
    assert r.stdout == "-l --grace\n"


@pytest.mark.parametrize("args,env,named", [
    (["--bogus", "true"], {}, "--bogus"),
    (["--grace", "abc", "true"], {}, "--grace"),
    (["--grace"], {}, "--grace"),
    (["--rewrite", "FOO:INT", "true"], {}, "FOO"),
    (["--rewrite", "KILL:INT", "true"], {}, "KILL"),
    (["--success-exit", "300", "true"], {}, "--success-exit"),
    ([], {}, "COMMAND"),
    (["true"], {"ZKINIT_GRACE": "-1"}, "ZKINIT_GRACE"),
    (["true"], {"ZKINIT_PGROUP": "maybe"}, "ZKINIT_PGROUP"),
    (["true"], {"ZKINIT_LOG_LEVEL": "loud"}, "ZKINIT_LOG_LEVEL"),
])
def test_bad_options_exit_64_naming_the_option(args, env, named):
    r = run(args, env=base_env(**env))
    assert r.returncode == 64, r.stderr
    errors = [l for l in r.stderr.split("\n") if "level=error" in l]
    assert len(errors) == 1 and named in errors[0], r.stderr


def test_help_and_version():
    r = run(["--help"])
    assert r.returncode == 0 and "Usage: zkinit" in r.stdout
    r = run(["--version"])
    assert r.returncode == 0 and r.stdout.startswith("zkinit ")


@pytest.mark.parametrize("cmd", ["zookeeper", "mesos-master", "mesos-agent", "marathon", "id",
                                 "render", "health", "members", "mesos-leader"])
def test_every_subcommand_has_help(cmd):
    r = run([cmd, "--help"])
    assert r.returncode == 0, r.stderr
    assert "sage" in r.stdout, r.stdout  # "Usage:" / "usage:"


def test_logs_are_logfmt_and_debug_shows_forwarding(procs, tmp_path):
    out = tmp_path / "sigs"
    env = base_env(ZKINIT_LOG_LEVEL="debug")
    p, pid = start(procs, "pid1", ["--", *CATCHER, str(out), str(int(signal.SIGTERM))], env=env)
    wait_ready(out)
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 0
    logs = [l for l in p.stderr().split("\n") if l]
    assert logs and all(l.startswith("ts=") and " level=" in l and " msg=\"" in l for l in logs)
    assert any("forwarding signal" in l and "signal=TERM" in l for l in logs)
