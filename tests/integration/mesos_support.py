"""Fixtures for the mesos area: one standalone ZooKeeper (Debian's) on 127.0.0.41, Mesos master
registrations written exactly as Mesos writes them (ephemeral sequential `json.info_` / `info_`
children holding JSON or a protobuf MasterInfo encoded here by hand), and a tiny HTTP server.

    from mesos_support import zk_server, master_info_pb, master_info_json, Registrar
"""
import http.server
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time

import pytest
from kazoo.client import KazooClient

ZK_ADDR = "127.0.0.41"
ZK_CLASSPATH = "/etc/zookeeper/conf:/usr/share/java/zookeeper.jar"


def free_port(addr=ZK_ADDR):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((addr, 0))
        return s.getsockname()[1]


class ZooKeeper:
    """One standalone ZooKeeper JVM on ZK_ADDR (tickTime 200), stopped by pid."""

    def __init__(self, addr=ZK_ADDR):
        self.addr = addr
        self.tmp = tempfile.mkdtemp(prefix="zk-mesos-")
        self.port = free_port(addr)
        self.proc = None

    @property
    def hosts(self):
        return f"{self.addr}:{self.port}"

    def start(self, timeout=60):
        data = os.path.join(self.tmp, "data")
        os.makedirs(data, exist_ok=True)
        cfg = os.path.join(self.tmp, "zoo.cfg")
        with open(cfg, "w") as f:
            f.write(f"tickTime=200\ninitLimit=10\nsyncLimit=5\ndataDir={data}\n"
                    f"clientPort={self.port}\nclientPortAddress={self.addr}\n"
                    "4lw.commands.whitelist=ruok,srvr\nadmin.enableServer=false\n"
                    "maxSessionTimeout=60000\nminSessionTimeout=400\n")
        log = open(os.path.join(self.tmp, "zk.log"), "wb")
        self.proc = subprocess.Popen(
            ["java", "-Xmx128m", "-XX:-UsePerfData", "-Dzookeeper.root.logger=WARN,CONSOLE",
             "-cp", ZK_CLASSPATH, "org.apache.zookeeper.server.quorum.QuorumPeerMain", cfg],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        log.close()
        deadline = time.monotonic() + timeout
        while not self._ruok():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("ZooKeeper did not start: " + self.log_tail())
            time.sleep(0.05)
        return self

    def _ruok(self):
        try:
            with socket.create_connection((self.addr, self.port), timeout=1) as s:
                s.sendall(b"ruok")
                return s.recv(4) == b"imok"
        except OSError:
            return False

    def log_tail(self):
        try:
            with open(os.path.join(self.tmp, "zk.log"), "rb") as f:
                return f.read()[-2000:].decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def client(self):
        c = KazooClient(hosts=self.hosts, timeout=10)
        c.start(timeout=15)
        return c


@pytest.fixture(scope="module")
def zk_server():
    zk = ZooKeeper().start()
    try:
        yield zk
    finally:
        zk.stop()


# ---- MasterInfo, encoded as Mesos does (mesos.proto: MasterInfo and Address) ------------------

def ip_field(dotted):
    """Mesos's `ip`: the in_addr's bytes (network order) read as a little-endian uint32."""
    return struct.unpack("<I", socket.inet_aton(dotted))[0]


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(field, wire):
    return _varint(field << 3 | wire)


def _pb_str(field, s):
    b = s.encode()
    return _key(field, 2) + _varint(len(b)) + b


def _pb_uint(field, n):
    return _key(field, 0) + _varint(n)


def master_info_pb(ip, port=5050, id="20150512-1-855746752-5050-1", pid=None, hostname=None,
                   version=None, address=None, extra=b""):
    """A serialized MasterInfo. IP dotted; ADDRESS a dict {hostname, ip, port}; EXTRA raw bytes
    (unknown fields) appended."""
    b = _pb_str(1, id) + _pb_uint(2, ip_field(ip)) + _pb_uint(3, port)
    if pid:
        b += _pb_str(4, pid)
    if hostname:
        b += _pb_str(5, hostname)
    if version:
        b += _pb_str(6, version)
    if address:
        a = b""
        if "hostname" in address:
            a += _pb_str(1, address["hostname"])
        if "ip" in address:
            a += _pb_str(2, address["ip"])
        a += _pb_uint(3, address.get("port", port))
        b += _key(7, 2) + _varint(len(a)) + a
    return b + extra


def master_info_json(ip, port=5050, hostname=None, version="1.11.0", with_address=True):
    """MasterInfo as Mesos >= 0.24 writes it to json.info_N."""
    d = {"id": f"id-{ip}-{port}", "ip": ip_field(ip), "port": port,
         "pid": f"master@{ip}:{port}", "version": version}
    if hostname:
        d["hostname"] = hostname
    if with_address:
        d["address"] = {"ip": ip, "port": port}
        if hostname:
            d["address"]["hostname"] = hostname
    return json.dumps(d).encode()


class Registrar:
    """Masters registering under PATH, each with its own ZooKeeper session (as each Mesos master
    has): end a session with .leave(name) and its ephemeral node goes away."""

    def __init__(self, zk, path):
        self.zk = zk
        self.path = path
        self.sessions = {}
        admin = zk.client()
        admin.ensure_path(path)
        admin.stop()
        admin.close()

    def register(self, data, json_label=True):
        c = self.zk.client()
        label = "json.info_" if json_label else "info_"
        name = c.create(f"{self.path}/{label}", data, ephemeral=True, sequence=True)
        name = name.rsplit("/", 1)[1]
        self.sessions[name] = c
        return name

    def leave(self, name):
        c = self.sessions.pop(name)
        c.stop()
        c.close()

    def close(self):
        for name in list(self.sessions):
            self.leave(name)


# ---- a tiny HTTP server for the health checks ------------------------------------------------

class HttpStub:
    """Answers every GET with STATUS on 127.0.0.41:<free port>; records the paths asked."""

    def __init__(self, status=200):
        self.status = status
        self.paths = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                stub.paths.append(self.path)
                self.send_response(stub.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer((ZK_ADDR, 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://{ZK_ADDR}:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# ---- MasterInfo from a real protobuf encoder (protoc --encode) -------------------------------
# The MasterInfo and Address messages of include/mesos/mesos.proto, written out as data (field
# name, type, number, label) for each schema version, from apache/mesos at the tag or commit named.
# The encoder is Debian's protoc (protobuf-compiler), not code of this project.

_ADDRESS = [("hostname", "string", 1, "optional"), ("ip", "string", 2, "optional"),
            ("port", "int32", 3, "required")]
_BASE = [("id", "string", 1, "required"), ("ip", "uint32", 2, "required"),
         ("port", "uint32", 3, "required", "[default = 5050]"), ("pid", "string", 4, "optional")]
MASTERINFO_SCHEMAS = {
    "0.17.0": ("1094c1baba95e2fce8ce76b8f46967774dde5a35", _BASE, None),
    "0.20.0": ("f421ffdf8d32a8834b3a6ee483b5b59f65956497",
               _BASE + [("hostname", "string", 5, "optional")], None),
    "0.23.0": ("4ce5475346a0abb7ef4b7ffc9836c5836d7c7a66",
               _BASE + [("hostname", "string", 5, "optional"), ("version", "string", 6, "optional")],
               None),
    "0.24.0": ("8b77e68f8be5d0766a4bbfba18b397d619611f95",
               _BASE + [("hostname", "string", 5, "optional"), ("version", "string", 6, "optional"),
                        ("address", "Address", 7, "optional")], _ADDRESS),
    "HEAD": ("c1b42f79d157aa900be5cbb0c1023f1479962aa7",
             _BASE + [("hostname", "string", 5, "optional"), ("version", "string", 6, "optional"),
                      ("address", "Address", 7, "optional"), ("domain", "DomainInfo", 8, "optional"),
                      ("capabilities", "Capability", 9, "repeated")], _ADDRESS),
}
# HEAD's nested types, as in mesos.proto at c1b42f79 (DomainInfo, MasterInfo.Capability)
_HEAD_EXTRA = """
message DomainInfo {
  message FaultDomain {
    message RegionInfo { required string name = 1; }
    message ZoneInfo { required string name = 1; }
    required RegionInfo region = 1;
    required ZoneInfo zone = 2;
  }
  optional FaultDomain fault_domain = 1;
}
"""
_HEAD_CAPABILITY = """
  message Capability {
    enum Type { UNKNOWN = 0; AGENT_UPDATE = 1; AGENT_DRAINING = 2; QUOTA_V2 = 3; }
    optional Type type = 1;
  }
"""


def masterinfo_proto(version):
    """The .proto text of VERSION's MasterInfo (and Address)."""
    _, fields, address = MASTERINFO_SCHEMAS[version]
    out = ['syntax = "proto2";', "package mesos;"]
    if address:
        out.append("message Address {")
        out += [f"  {lab} {typ} {name} = {num};" for name, typ, num, lab in address]
        out.append("}")
    if version == "HEAD":
        out.append(_HEAD_EXTRA)
    out.append("message MasterInfo {")
    if version == "HEAD":
        out.append(_HEAD_CAPABILITY)
    for f in fields:
        name, typ, num, lab = f[:4]
        opt = (" " + f[4]) if len(f) > 4 else ""
        out.append(f"  {lab} {typ} {name} = {num}{opt};")
    out.append("}")
    return "\n".join(out) + "\n"


def protoc_encode(version, text):
    """TEXT (protobuf text format of a MasterInfo) encoded by protoc with VERSION's schema."""
    d = tempfile.mkdtemp(prefix="mesos-proto-")
    try:
        with open(os.path.join(d, "mesos.proto"), "w") as f:
            f.write(masterinfo_proto(version))
        r = subprocess.run(["protoc", f"-I{d}", "--encode=mesos.MasterInfo", "mesos.proto"],
                           input=text.encode(), capture_output=True, check=True)
        return r.stdout
    finally:
        shutil.rmtree(d, ignore_errors=True)
