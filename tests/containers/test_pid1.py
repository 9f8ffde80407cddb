"""zkinit as PID 1 of a real container: orphans are reaped (no zombie in the host's view of the
container's processes) and `docker stop`/`docker kill` give the exit codes a user expects."""
import os
import time

import engine as eng

# Thirty orphans: each subshell starts a short sleep and exits at once, so the sleep is reparented
# to the container's PID 1 and becomes a zombie when it ends unless PID 1 reaps it.
ORPHANS = "i=0; while [ $i -lt 30 ]; do (sleep 0.2 &); i=$((i+1)); done; "


def descendants(pid):
    """{pid: (state, command)} of pid and everything under it, read from the host's /proc."""
    seen, todo = {}, [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/stat" % p) as f:
                stat = f.read()
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            seen[p] = (stat[stat.rindex(")") + 2], comm)
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return seen


def zombies_after_orphans(engine, name):
    pid = int(engine.state(name, "Pid"))
    eng.wait_for("the main command to settle", lambda: any(
        c == "sleep" and s != "Z" for s, c in descendants(pid).values()) or None, timeout=30)
    time.sleep(2)  # every orphan's sleep 0.2 has ended by now
    procs = descendants(pid)
    assert len(procs) >= 2, procs
    return [(p, c) for p, (s, c) in procs.items() if s == "Z"]


def test_orphans_are_reaped_in_a_real_container(engine, scope):
    name = scope.run("reap", command=["sh", "-c", ORPHANS + "exec sleep 1000"])
    assert zombies_after_orphans(engine, name) == []


def test_without_zkinit_the_same_orphans_stay_zombies(engine, scope):
    """The control: PID 1 is the shell's `sleep`, which never waits; the zombies are visible."""
    name = scope.run("noreap", "--entrypoint", "sh", command=["-c", ORPHANS + "exec sleep 1000"])
    assert len(zombies_after_orphans(engine, name)) >= 20


def test_docker_stop_gives_the_commands_status(engine, scope):
    name = scope.run("stop", command=["sh", "-c", "trap 'exit 7' TERM; while :; do sleep 0.1; done"])
    eng.wait_for("running", lambda: engine.state(name, "Running") == "true")
    time.sleep(1)
    engine.docker("stop", "-t", "20", name)
    assert engine.exit_code(name) == 7


def test_docker_stop_of_a_command_that_ignores_term_ends_in_sigkill(engine, scope):
    name = scope.run("ignore", command=["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"])
    eng.wait_for("running", lambda: engine.state(name, "Running") == "true")
    time.sleep(1)
    t0 = time.monotonic()
    engine.docker("stop", "-t", "2", name)
    assert time.monotonic() - t0 >= 1.5
    assert engine.exit_code(name) == 137


def test_docker_kill_forwards_the_signal(engine, scope):
    name = scope.run("int", command=["sh", "-c", "trap 'exit 5' INT; while :; do sleep 0.1; done"])
    eng.wait_for("running", lambda: engine.state(name, "Running") == "true")
    time.sleep(1)
    engine.docker("kill", "-s", "INT", name)
    eng.wait_for("the container to exit", lambda: engine.state(name, "Running") == "false")
    assert engine.exit_code(name) == 5


def test_docker_stop_of_a_server_runs_the_leave_hook_and_exits_143(engine, scope):
    net = scope.network()
    name = scope.run("solo", "--net", net, "-e", "JVMFLAGS=-Xmx128m", *eng.SUPER)
    ip = engine.ip(name, net)
    eng.wait_for("the one-member ensemble serving", lambda: eng.mode(ip))
    engine.docker("stop", "-t", "30", name)
    assert engine.exit_code(name) == 143
    logs = engine.try_docker("logs", name).stderr
    assert "hook=leave" in logs
    assert 'msg="command exited" pid=6 status=143' in logs or "status=143" in logs
