"""Generic security of zkinit's core (issue 10): log lines cannot be forged through values, no
log line shows a URL's password, secrets read by a role never reach COMMAND's or a hook's
environment, and the zookeeper role runs the user's hooks after its own."""
import os
import re
import signal
import socket

from conftest import ZKINIT, base_env, run, wait_for

PASSWORD = "s3cret-Pa55"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_logfmt_lines(stderr):
    """Every line is one zkinit record: a forged record would start a line of its own."""
    lines = [l for l in stderr.split("\n") if l]
    assert lines, stderr
    for l in lines:
        assert l.startswith("ts=") and " level=" in l and " msg=\"" in l, stderr
    return lines


# ---------------------------------------------------------------- log injection

PAIR = re.compile(r'([A-Za-z_][A-Za-z0-9_.]*)=("(?:[^"\\]|\\.)*"|[^ "]*)(?: |$)')


def logfmt_keys(line):
    """The keys of a logfmt line; fails when a part of it is not key=value."""
    keys, pos = [], 0
    while pos < len(line):
        m = PAIR.match(line, pos)
        assert m, f"not logfmt at {line[pos:]!r}"
        keys.append(m.group(1))
        pos = m.end()
    return keys


def test_a_newline_in_a_value_does_not_start_a_log_line():
    forged = "1\nts=2000-01-01T00:00:00.000Z level=info role=init msg=\"forged\""
    r = run(["true"], env=base_env(ZKINIT_GRACE=forged))
    assert r.returncode == 64, r.stderr
    lines = assert_logfmt_lines(r.stderr)
    assert len(lines) == 1 and "ZKINIT_GRACE" in lines[0], r.stderr
    assert "\\nts=2000" in lines[0]  # the value is there, escaped


def test_a_bare_value_cannot_add_keys():
    r = run(["--bogus level=debug", "true"])  # logged as a bare option=%s
    assert r.returncode == 64
    (line,) = assert_logfmt_lines(r.stderr)
    assert logfmt_keys(line) == ["ts", "level", "role", "msg", "option", "hint"], line
    assert 'option="--bogus level=debug"' in line


# ---------------------------------------------------------------- credentials in URLs

def zk_env(tmp_path, **extra):
    env = dict(MYID=3, HOST_IP="127.0.0.111", ZOO_CLIENT_ADDRESS="127.0.0.111", ZOO_USER="root",
               ZOO_CONF_DIR=str(tmp_path / "conf"), ZOO_DATA_DIR=str(tmp_path / "data"),
               ZOO_DATA_LOG_DIR=str(tmp_path / "datalog"), ZOO_LOG_DIR=str(tmp_path / "logs"))
    env.update(extra)
    return base_env(**env)


def test_etcd_password_is_never_logged(tmp_path):
    port = free_port()  # nothing listens there: etcd unreachable
    url = f"http://user:{PASSWORD}@127.0.0.1:{port}"
    # An empty data directory: with a myid file there, zkinit id would fall back to it (exit 0).
    r = run(["id", "--data-dir", str(tmp_path)],
            env=base_env(ETCD_ENDPOINTS=url, ETCD_TIMEOUT="1", ZKINIT_LOG_LEVEL="debug",
                         HOST_IP="127.0.0.111"), timeout=60)
    assert r.returncode == 69, r.stderr
    assert "etcd request failed" in r.stderr  # the debug lines that name the endpoint ran
    assert PASSWORD not in r.stderr and PASSWORD not in r.stdout
    assert f"http://***@127.0.0.1:{port}" in r.stderr


def test_a_bad_etcd_url_is_refused_without_its_password():
    url = f"http://user:{PASSWORD}@127.0.0.1:2379/some/path"
    r = run(["id"], env=base_env(ETCD_ENDPOINTS=url, HOST_IP="127.0.0.111"))
    assert r.returncode == 64, r.stderr
    assert "ETCD_ENDPOINTS" in r.stderr
    assert PASSWORD not in r.stderr


def test_health_url_password_is_never_logged():
    url = f"http://user:{PASSWORD}@127.0.0.1:{free_port()}/health"
    r = run(["health", "mesos-master"], env=base_env(ZKINIT_HEALTH_URL=url,
                                                     ZKINIT_LOG_LEVEL="debug"))
    assert r.returncode == 1
    assert "unhealthy" in r.stderr and PASSWORD not in r.stderr


# ---------------------------------------------------------------- secrets and the environment

def test_secrets_never_reach_commands_environment(tmp_path):
    r = run(["zookeeper", "--", "/usr/bin/env"], timeout=60,
            env=zk_env(tmp_path, ZOO_RECONFIG="off", ZOO_SUPER_PASSWORD=PASSWORD))
    assert r.returncode == 0, r.stderr
    assert "ZOO_SUPER_PASSWORD" not in r.stdout and PASSWORD not in r.stdout
    assert "ZOO_USER=root" in r.stdout  # the rest of the environment is passed on
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    r = run(["zookeeper", "--", "/usr/bin/env"], timeout=60,
            env=zk_env(tmp_path, ZOO_RECONFIG="off", ZOO_SUPER_PASSWORD_FILE=str(pw)))
    assert r.returncode == 0, r.stderr
    assert "ZOO_SUPER_PASSWORD" not in r.stdout and str(pw) not in r.stdout
    assert PASSWORD not in r.stderr


def test_zookeeper_role_runs_the_users_hooks_after_its_own(procs, tmp_path):
    """ZKINIT_ON_START/ZKINIT_ON_STOP with a server command (membership managed): after the role's
    join/leave, and without the role's secret in their environment."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    java = bindir / "java"  # named java: a server command, so the role's hooks apply
    java.write_text("#!/bin/sh\nexec sleep 600\n")
    java.chmod(0o755)
    started, stopped = tmp_path / "on-start", tmp_path / "on-stop"
    env = zk_env(tmp_path, ZOO_SUPER_PASSWORD=PASSWORD, ZOO_SKIP_ACL="yes", ZOO_LEAVE_TIMEOUT="2",
                 ZOO_JOIN_TIMEOUT="2", ZKINIT_LOG_LEVEL="debug",
                 ZKINIT_ON_START=f"env > {started}.tmp; mv {started}.tmp {started}",
                 ZKINIT_ON_STOP=f"echo stopped > {stopped}")
    p = procs.start([ZKINIT, "zookeeper", "--", str(java)], env=env)
    wait_for(started.exists, timeout=60, what="the user's start hook")
    assert "ZOO_SUPER_PASSWORD" not in started.read_text() and PASSWORD not in started.read_text()
    os.kill(p.pid, signal.SIGTERM)
    assert p.wait(60) == 143, p.stderr()
    assert stopped.read_text() == "stopped\n"
    log = p.stderr()
    assert log.index("hook=join") < log.index("hook=on-start")  # the role's own hooks first
    assert "hook=leave" in log, log
    assert log.index("hook=leave") < log.index("hook=on-stop")
    assert PASSWORD not in log
