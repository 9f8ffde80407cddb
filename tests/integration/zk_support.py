"""ZooKeeper nodes under zkinit for tests: each node is `zkinit zookeeper` as PID 1 of its own pid
namespace (unshare), with Debian's ZooKeeper 3.8, its own loopback address (127.0.0.21-39 belong to
the zookeeper area), small JVMs (-Xmx128m -XX:-UsePerfData) and tickTime=200.

    n = ZkNode(tmp_dir, 1, "127.0.0.21"); n.start(ZOO_JOIN="127.0.0.22:2181"); n.stop(); n.kill()

Ensemble state is read with kazoo (an independent client), never with zkinit itself."""
import os
import signal
import socket
import subprocess
import time

from kazoo.client import KazooClient

from conftest import Proc, base_env, pid1_argv, wait_for

CLIENT_PORT = 2181
QUORUM_ROLES = ("leader", "follower", "observer", "standalone")


def four_letter(ip, word, port=CLIENT_PORT, timeout=2.0):
    """The answer to a 4lw command, or '' when nothing answers."""
    try:
        with socket.create_connection((ip, port), timeout=timeout) as s:
            s.sendall(word.encode())
            out = b""
            while True:
                b = s.recv(4096)
                if not b:
                    break
                out += b
            return out.decode(errors="replace")
    except OSError:
        return ""


def mode(ip):
    for line in four_letter(ip, "srvr").splitlines():
        if line.startswith("Mode: "):
            return line[6:].strip()
    return ""


def get_config(hosts, timeout=10.0):
    """{id: line} and version of the committed dynamic config, read through HOSTS with kazoo."""
    zk = KazooClient(hosts=hosts, timeout=timeout)
    try:
        zk.start(timeout=timeout)
        data, _ = zk.get("/zookeeper/config")
    finally:
        zk.stop()
        zk.close()
    servers, version = {}, ""
    for line in data.decode().split("\n"):
        if line.startswith("server."):
            k, v = line.split("=", 1)
            servers[int(k[7:])] = v
        elif line.startswith("version="):
            version = line[8:]
    return servers, version


def try_config(hosts):
    try:
        return get_config(hosts, timeout=3.0)[0]
    except Exception:  # pylint: disable=broad-except
        return None


class ZkNode:
    """One `zkinit zookeeper` node; start() and stop() may be repeated (same data dir)."""

    def __init__(self, tmp_dir, node_id, ip, name=None):
        self.id = node_id
        self.ip = ip
        self.dir = os.path.join(str(tmp_dir), name or f"zk{node_id}")
        self.conf = os.path.join(self.dir, "conf")
        self.data = os.path.join(self.dir, "data")
        self.proc = None
        self.pid1 = None
        self.runs = []  # every Proc started, for logs and cleanup

    @property
    def hostport(self):
        return f"{self.ip}:{CLIENT_PORT}"

    def env(self, **extra):
        base = dict(MYID=self.id, HOST_IP=self.ip, ZOO_CLIENT_ADDRESS=self.ip, ZOO_USER="root",
                    ZOO_CONF_DIR=self.conf, ZOO_DATA_DIR=self.data,
                    ZOO_DATA_LOG_DIR=os.path.join(self.dir, "datalog"),
                    ZOO_LOG_DIR=os.path.join(self.dir, "logs"), ZOO_TICK_TIME=200,
                    ZOO_ADMINSERVER_ENABLED="false", JVMFLAGS="-Xmx128m -XX:-UsePerfData",
                    ZOO_JOIN_TIMEOUT=60,
                    # membership without a super password needs this since ACLs stay on by
                    # default; tests of the secure default pass ZOO_SKIP_ACL=None
                    ZOO_SKIP_ACL="yes")
        base.update(extra)
        return base_env(**base)

    def start(self, args=(), **extra):
        os.makedirs(self.dir, exist_ok=True)
        self.proc = Proc(pid1_argv(["zookeeper"] + list(args)), env=self.env(**extra),
                         tmp=self.dir, name=f"zkinit{self.id}")
        self.runs.append(self.proc)
        self.pid1 = self.proc.pid1()
        return self

    def running(self):
        return self.proc is not None and self.proc.p.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Sends SIG to zkinit (PID 1 of the node); returns the exit status of the node."""
        os.kill(self.pid1, sig)
        rc = self.proc.wait(timeout=timeout)
        return rc

    def kill(self):
        for p in self.runs:
            p.kill()

    def stderr(self):
        return self.proc.stderr() if self.proc else ""

    def zk_log(self):
        return "".join(l for l in self.stderr().splitlines(True) if "role=zookeeper" in l)

    def serving(self):
        return mode(self.ip) in QUORUM_ROLES

    def wait_serving(self, timeout=60):
        wait_for(lambda: self.serving() or (not self.running() and self._died()), timeout,
                 interval=0.1, what=f"zk{self.id} serving")

    def _died(self):
        raise AssertionError(f"zk{self.id} exited: {self.proc.p.returncode}\n{self.zk_log()}")


def ensemble(tmp_path_factory, name, ips):
    """Generator for a module fixture: one ZkNode per address (ids 1..n), killed at the end."""
    yield from fresh_nodes(tmp_path_factory.mktemp(name), ips)


def fresh_nodes(tmp_dir, ips):
    """Generator for a test fixture: one ZkNode per address (ids 1..n), killed at the end."""
    nodes = [ZkNode(tmp_dir, i + 1, ip) for i, ip in enumerate(ips)]
    try:
        yield nodes
    finally:
        for n in nodes:
            n.kill()


def hosts_of(nodes):
    return ",".join(n.hostport for n in nodes)


def wait_members(nodes, expected, timeout=60):
    """Waits until the committed config (read through NODES) lists exactly the ids in EXPECTED,
    all as participants."""
    def ok():
        servers = try_config(hosts_of(nodes))
        if servers is None or set(servers) != set(expected):
            return None
        return servers if all(":participant;" in v for v in servers.values()) else None
    return wait_for(ok, timeout, interval=0.2, what=f"members {sorted(expected)}")
