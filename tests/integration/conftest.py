"""Shared helpers for the integration tests: the zkinit binary under test, running it as PID 1
of a fresh pid namespace, and cleanup of every process a test starts (by pid)."""
import os
import signal
import subprocess
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ZKINIT = os.environ.get("ZKINIT_BIN", os.path.join(ROOT, "build", "zkinit"))


def base_env(**extra):
    """A small, explicit environment: PATH plus EXTRA (values None are left out)."""
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
    for k, v in extra.items():
        if v is not None:
            env[k] = str(v)
    return env


def pid1_argv(args):
    """argv that runs zkinit with ARGS as PID 1 of a new pid namespace."""
    return ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL", ZKINIT] + list(args)


def children_of(pid):
    """Direct children of PID (from /proc)."""
    out = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def wait_for(cond, timeout=30.0, interval=0.02, what="condition"):
    """Polls COND until it returns a true value; fails the test after TIMEOUT (a hang guard only)."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


class Proc:
    """A started process with its stderr captured to a file, killed (by pid) at test end."""

    def __init__(self, argv, env=None, stdin=subprocess.DEVNULL, tmp=None, name="proc"):
        self.argv = argv
        self.errpath = os.path.join(str(tmp), f"{name}.{time.monotonic_ns()}.err") if tmp else None
        self.outpath = self.errpath.replace(".err", ".out") if tmp else None
        err = open(self.errpath, "wb") if tmp else subprocess.PIPE
        out = open(self.outpath, "wb") if tmp else subprocess.PIPE
        self.p = subprocess.Popen(argv, env=env, stdin=stdin, stdout=out, stderr=err,
                                  start_new_session=True)
        self.pid = self.p.pid

    def pid1(self, timeout=10):
        """For an unshare-wrapped zkinit: zkinit's pid as seen from here."""
        return wait_for(lambda: (children_of(self.pid) or [None])[0], timeout, what="pid 1")

    def wait(self, timeout=60):
        return self.p.wait(timeout=timeout)

    def stderr(self):
        if self.errpath:
            with open(self.errpath, "rb") as f:
                return f.read().decode(errors="replace")
        return ""

    def stdout(self):
        if self.outpath:
            with open(self.outpath, "rb") as f:
                return f.read().decode(errors="replace")
        return ""

    def descendants(self):
        """Every process below this one, from /proc."""
        found, todo = [], [self.pid]
        while todo:
            try:
                kids = children_of(todo.pop())
            except OSError:  # gone meanwhile
                continue
            found += kids
            todo += kids
        return found

    def kill(self):
        if self.p.poll() is None:
            below = self.descendants()
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            for pid in below:  # a child in its own process group (zkinit puts COMMAND in one)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


@pytest.fixture
def procs(tmp_path):
    """Start processes with procs.start(argv, ...); all are killed by pid when the test ends."""

    class Procs(list):
        def start(self, argv, **kw):
            kw.setdefault("tmp", tmp_path)
            p = Proc(argv, **kw)
            self.append(p)
            return p

    started = Procs()
    yield started
    for p in started:
        p.kill()


def run(args, env=None, timeout=60, pid1=False, input=None, **kw):
    """Runs zkinit (as PID 1 when PID1) to completion; returns CompletedProcess with text output."""
    argv = pid1_argv(args) if pid1 else [ZKINIT] + list(args)
    return subprocess.run(argv, env=env if env is not None else base_env(), timeout=timeout,
                          capture_output=True, text=True, input=input, **kw)
