"""A real etcd for tests: Debian's /usr/bin/etcd (3.4) on 127.0.0.1 only, with v2 enabled.

Usage from any test module (the zookeeper and mesos areas import this too):

    from etcd_support import Etcd, etcd_server   # etcd_server: a module-scoped pytest fixture

    def test_something(etcd_server):
        etcd_server.register_node("10.99.0.1", 1)            # /zookeeper/nodes/10.99.0.1/id = 1
        env = base_env(ETCD_ENDPOINTS=etcd_server.url, HOST_IP="10.99.0.2")

    # or your own instance (e.g. to kill and restart it):
    e = Etcd(tmp_dir); e.start(); ...; e.kill(); e.start(); ...; e.stop()

`Etcd.start()` picks two free loopback ports (client, peer) the first time, keeps them and the data
directory across restarts (so clients see the same endpoint and the same keys), waits until the
server answers /version with a decided cluster version and v3 range requests work, and `stop()` /
`kill()` end it by its pid. Keys are written with etcd's own HTTP APIs (v3 JSON gateway or v2 keys
API), never with zkinit, so tests can set up state independently of the code under test. The v2 and
v3 key spaces of etcd are separate: write with the API the code under test will read.
"""
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

ETCD = "/usr/bin/etcd"


def free_port():
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _b64(s):
    return base64.b64encode(s.encode()).decode()


def _unb64(s):
    return base64.b64decode(s).decode()


def _prefix_end(prefix):
    b = bytearray(prefix.encode())
    b[-1] += 1
    return base64.b64encode(bytes(b)).decode()


class Etcd:
    """One etcd member on 127.0.0.1 (client and peer ports free at first start, then kept)."""

    def __init__(self, tmp_dir=None, name="zkinit-test"):
        self.own_tmp = tmp_dir is None
        self.tmp = str(tmp_dir) if tmp_dir is not None else tempfile.mkdtemp(prefix="etcd-")
        os.makedirs(self.tmp, exist_ok=True)
        self.data_dir = os.path.join(self.tmp, "etcd-data")
        self.log_path = os.path.join(self.tmp, "etcd.log")
        self.name = name
        self.client_port = None
        self.peer_port = None
        self.proc = None

    @property
    def url(self):
        """The client URL, e.g. http://127.0.0.1:40123 (use it as ETCD_ENDPOINTS)."""
        return f"http://127.0.0.1:{self.client_port}"

    def start(self, timeout=30):
        """Starts etcd (same ports and data as before on a restart) and waits until it serves."""
        if self.client_port is None:
            self.client_port = free_port()
            self.peer_port = free_port()
            while self.peer_port == self.client_port:
                self.peer_port = free_port()
        peer = f"http://127.0.0.1:{self.peer_port}"
        argv = [ETCD, "--name", self.name, "--data-dir", self.data_dir,
                "--listen-client-urls", self.url, "--advertise-client-urls", self.url,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", f"{self.name}={peer}", "--enable-v2=true",
                "--logger=zap", "--log-outputs=stderr", "--log-level=warn"]
        log = open(self.log_path, "ab")
        # A clean environment: etcd reads ETCD_* variables as flags.
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                     env={"PATH": "/usr/bin:/bin"}, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"etcd exited with {self.proc.returncode}: {self.log_tail()}")
            if self._serves():
                return self
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"etcd did not serve within {timeout}s: {self.log_tail()}")
            time.sleep(0.05)

    def _serves(self):
        try:
            v = json.loads(self._http("GET", "/version", timeout=1))
            if not v.get("etcdcluster", "").startswith("3."):
                return False
            self._http("POST", "/v3/kv/range", json.dumps({"key": _b64("/")}), timeout=1)
            return True
        except (OSError, ValueError):
            return False

    def log_tail(self, n=2000):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def _signal(self, sig, timeout=15):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=timeout)
        self.proc = None

    def kill(self):
        """Crash: SIGKILL by pid (data stays; start() brings it back on the same port)."""
        self._signal(signal.SIGKILL)

    def stop(self):
        """Clean stop: SIGTERM by pid (SIGKILL after 15 s)."""
        self._signal(signal.SIGTERM)

    def cleanup(self):
        """Stops it and removes a temporary directory this object created."""
        self.stop()
        if self.own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # --- HTTP helpers (etcd's own APIs) ---------------------------------------------------------
    def _http(self, method, path, body=None, timeout=5, form=False):
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if form:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.read().decode()
        except urllib.error.HTTPError as e:  # v2 answers 404/412 with a JSON body
            return e.read().decode()

    def put(self, key, value, api="v3"):
        """Sets KEY to VALUE unconditionally through API (v3 or v2)."""
        if api == "v2":
            self._http("PUT", "/v2/keys" + urllib.parse.quote(key),
                       urllib.parse.urlencode({"value": str(value)}), form=True)
        else:
            self._http("POST", "/v3/kv/put",
                       json.dumps({"key": _b64(key), "value": _b64(str(value))}))

    def get(self, key, api="v3"):
        """KEY's value, or None when absent."""
        if api == "v2":
            r = json.loads(self._http("GET", "/v2/keys" + urllib.parse.quote(key)))
            return r.get("node", {}).get("value")
        r = json.loads(self._http("POST", "/v3/kv/range", json.dumps({"key": _b64(key)})))
        kvs = r.get("kvs") or []
        return _unb64(kvs[0].get("value", "")) if kvs else None

    def delete(self, key, api="v3"):
        if api == "v2":
            self._http("DELETE", "/v2/keys" + urllib.parse.quote(key))
        else:
            self._http("POST", "/v3/kv/deleterange", json.dumps({"key": _b64(key)}))

    def items(self, prefix, api="v3"):
        """{key: value} of every key under PREFIX (recursive)."""
        if api == "v2":
            r = json.loads(self._http("GET", "/v2/keys" + urllib.parse.quote(prefix.rstrip("/"))
                                      + "?recursive=true"))
            out = {}

            def walk(n):
                for c in n.get("nodes", []) or []:
                    walk(c)
                if not n.get("dir") and "value" in n:
                    out[n["key"]] = n["value"]

            walk(r.get("node", {}))
            return out
        r = json.loads(self._http("POST", "/v3/kv/range", json.dumps(
            {"key": _b64(prefix), "range_end": _prefix_end(prefix)})))
        return {_unb64(kv["key"]): _unb64(kv.get("value", "")) for kv in r.get("kvs") or []}

    def register_node(self, ip, node_id, prefix="/zookeeper", api="v3"):
        """Registers a node as zkinit would: <prefix>/nodes/<ip>/id = id and <prefix>/ids/<id> = ip."""
        self.put(f"{prefix}/ids/{node_id}", ip, api)
        self.put(f"{prefix}/nodes/{ip}/id", node_id, api)

    def nodes(self, prefix="/zookeeper", api="v3"):
        """{ip: id} of the nodes registered under PREFIX."""
        out = {}
        for k, v in self.items(prefix + "/nodes/", api).items():
            parts = k[len(prefix) + len("/nodes/"):].split("/")
            if len(parts) == 2 and parts[1] == "id":
                out[parts[0]] = int(v)
        return out

    def claims(self, prefix="/zookeeper", api="v3"):
        """{id: ip} of the id claims under PREFIX."""
        return {int(k.rsplit("/", 1)[1]): v for k, v in self.items(prefix + "/ids/", api).items()}

    def wipe(self, prefix="/zookeeper"):
        """Deletes everything under PREFIX in both the v3 and the v2 key space."""
        self._http("POST", "/v3/kv/deleterange", json.dumps(
            {"key": _b64(prefix), "range_end": _prefix_end(prefix)}))
        self._http("DELETE", "/v2/keys" + urllib.parse.quote(prefix) + "?recursive=true")


@pytest.fixture(scope="module")
def etcd_server(tmp_path_factory):
    """One etcd per test module; call .wipe() (or use distinct prefixes) between tests."""
    e = Etcd(tmp_path_factory.mktemp("etcd"))
    e.start()
    yield e
    e.stop()
