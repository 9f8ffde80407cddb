"""The mesos area: `zkinit mesos-leader` against masters registered exactly as Mesos registers them
(real ZooKeeper), the mesos-master / mesos-agent / marathon roles with a stand-in COMMAND (the
exact environment the daemon would get, for every source and precedence case), waiting for a
leader, and `zkinit health` for the three roles."""
import json
import os
import signal
import stat
import time

import pytest
from kazoo.security import make_digest_acl

from conftest import ZKINIT, base_env, pid1_argv, run, wait_for
from etcd_support import etcd_server  # noqa: F401  (module-scoped fixture)
from mesos_support import (MASTERINFO_SCHEMAS, HttpStub, Registrar, ip_field,  # noqa: F401
                           master_info_json, master_info_pb, protoc_encode, zk_server)

CLOSED = "127.0.0.42:1"  # nothing listens there: ZooKeeper unreachable


def leader(zk_url, *args, timeout=60):
    return run(["mesos-leader", "--zk", zk_url] + list(args), timeout=timeout)


@pytest.fixture
def reg(zk_server, request):
    r = Registrar(zk_server, "/t/" + request.node.name)
    yield r
    r.close()


def url(zk, path):
    return f"zk://{zk.hosts}{path}"


# ---- zkinit mesos-leader ------------------------------------------------------------------

def test_leader_is_the_smallest_sequence_across_json_and_protobuf(zk_server, reg):
    a = reg.register(master_info_json("10.0.0.1", hostname="m1.example"))
    b = reg.register(master_info_pb("192.168.1.51", 5050), json_label=False)
    c = reg.register(master_info_json("10.0.0.3", port=5055))
    assert a.startswith("json.info_") and b.startswith("info_")
    u = url(zk_server, reg.path)
    r = leader(u)
    assert (r.returncode, r.stdout) == (0, "m1.example:5050\n"), r.stderr
    r = leader(u, "--all")
    assert r.returncode == 0, r.stderr
    # protobuf ip 0x3301A8C0 is 192.168.1.51 (network order, MESOS-1201), not 51.1.168.192
    assert r.stdout == "m1.example:5050\n192.168.1.51:5050\n10.0.0.3:5055\n"
    reg.leave(a)  # the leader's session ends: the protobuf master (next sequence) leads
    r = leader(u)
    assert (r.returncode, r.stdout) == (0, "192.168.1.51:5050\n"), r.stderr
    reg.leave(b)
    r = leader(u)
    assert (r.returncode, r.stdout) == (0, "10.0.0.3:5055\n"), r.stderr
    assert c in reg.sessions


def test_json_output(zk_server, reg):
    reg.register(master_info_json("10.0.0.1", hostname="gondor", version="1.4.0"))
    reg.register(master_info_pb("10.0.0.2", 5050, hostname="rohan", version="0.23.1",
                                pid="master@10.0.0.2:5050"), json_label=False)
    u = url(zk_server, reg.path)
    r = leader(u, "--json")
    assert r.returncode == 0, r.stderr
    one = json.loads(r.stdout)
    assert one["host"] == "gondor" and one["port"] == 5050 and one["leader"] is True
    assert one["ip"] == "10.0.0.1" and one["version"] == "1.4.0"
    assert one["node"].startswith("json.info_") and one["sequence"] == int(one["node"][10:])
    r = leader(u, "--all", "--json")
    assert r.returncode == 0, r.stderr
    all_ = json.loads(r.stdout)
    assert [m["host"] for m in all_] == ["gondor", "rohan"]
    assert [m["leader"] for m in all_] == [True, False]
    assert all_[1]["ip"] == "10.0.0.2" and all_[1]["pid"] == "master@10.0.0.2:5050"
    assert all_[1]["node"].startswith("info_")


def test_address_preferred_and_unknown_fields_skipped(zk_server, reg):
    # Mesos >= 0.26 protobuf with address{hostname, ip, port}, plus unknown fields 8 and 9.
    extra = b"\x42\x02\x08\x01" + b"\x49" + b"\xff" * 8
    reg.register(master_info_pb("10.0.0.9", 5050, hostname="old-name",
                                address={"hostname": "new-name", "ip": "10.0.0.9", "port": 5060},
                                extra=extra), json_label=False)
    r = leader(url(zk_server, reg.path))
    assert (r.returncode, r.stdout) == (0, "new-name:5060\n"), r.stderr


def test_log_replicas_and_other_children_are_not_masters(zk_server, reg):
    c = zk_server.client()
    try:
        c.ensure_path(reg.path + "/log_replicas/0000000001")
        gone = c.create(reg.path + "/info_", b"", sequence=True)  # uses a sequence number
        c.delete(gone)
        c.create(reg.path + "/info_x", b"junk")
        u = url(zk_server, reg.path)
        r = leader(u)
        assert r.returncode == 1 and r.stdout == ""
        assert "no Mesos master is registered" in r.stderr
        reg.register(master_info_json("10.0.0.4"))
        r = leader(u, "--all")
        assert (r.returncode, r.stdout) == (0, "10.0.0.4:5050\n"), r.stderr
    finally:
        c.stop()
        c.close()


def test_undecodable_leader_is_reported_not_skipped(zk_server, reg):
    c = zk_server.client()
    try:
        c.ensure_path(reg.path)
        c.create(reg.path + "/json.info_", b"{not json", ephemeral=True, sequence=True)
        reg.register(master_info_json("10.0.0.5"))
        u = url(zk_server, reg.path)
        r = leader(u)
        assert r.returncode == 1 and r.stdout == ""
        assert "cannot decode" in r.stderr and "json.info_" in r.stderr
        r = leader(u, "--all")  # --all lists what it can decode and warns about the rest
        assert (r.returncode, r.stdout) == (0, "10.0.0.5:5050\n"), r.stderr
        reg.close()
        c.create(reg.path + "/json.info_", b'{"id":"no-address"}', ephemeral=True, sequence=True)
        r = leader(u, "--all", "--json")  # nothing usable: no output at all
        assert (r.returncode, r.stdout) == (1, ""), r.stderr
        assert "no usable address" in r.stderr
    finally:
        c.stop()
        c.close()


def test_no_path_bad_url_unreachable(zk_server):
    r = leader(url(zk_server, "/does/not/exist"))
    assert r.returncode == 1 and "no Mesos master" in r.stderr
    for bad in ["zk://h:2181", "http://h:2181/mesos", "zk://h:99999/mesos", "zk://h:2181/"]:
        r = leader(bad)
        assert r.returncode == 64, (bad, r.stderr)
        assert "--zk" in r.stderr
    r = run(["mesos-leader"])
    assert r.returncode == 64 and "--zk" in r.stderr
    r = leader(f"zk://{CLOSED}/mesos", "--timeout", "0.5")
    assert r.returncode == 69 and "unreachable" in r.stderr
    r = leader("file:///nonexistent/zk")
    assert r.returncode == 64 and "--zk" in r.stderr


def test_digest_credentials_in_url(zk_server):
    from kazoo.client import KazooClient
    c = KazooClient(hosts=zk_server.hosts, auth_data=[("digest", "mesos:s3cret")])
    c.start(timeout=15)
    try:
        acl = [make_digest_acl("mesos", "s3cret", all=True)]
        c.create("/secured", b"", acl=acl)
        c.create("/secured/json.info_", master_info_json("10.0.0.6"), acl=acl, ephemeral=True,
                 sequence=True)
        r = leader(f"zk://mesos:s3cret@{zk_server.hosts}/secured")
        assert (r.returncode, r.stdout) == (0, "10.0.0.6:5050\n"), r.stderr
        assert "s3cret" not in r.stderr
        r = leader(f"zk://{zk_server.hosts}/secured")
        assert r.returncode == 64 and "denied" in r.stderr
    finally:
        c.stop()
        c.close()


# ---- issue 13: MasterInfo of every schema version, encoded by protoc ---------------------------

PB_TEXT = {
    "0.17.0": 'id: "m-017" ip: %d port: 5050 pid: "master@10.1.0.17:5050"',
    "0.20.0": 'id: "m-020" ip: %d port: 5051 pid: "master@10.1.0.20:5051" hostname: "m20"',
    "0.23.0": 'id: "m-023" ip: %d port: 5052 hostname: "m23" version: "0.23.1"',
    "0.24.0": 'id: "m-024" ip: %d port: 5053 hostname: "m24" version: "0.24.0" '
              'address { hostname: "a24" ip: "10.1.0.24" port: 5054 }',
    "HEAD": 'id: "m-head" ip: %d port: 5055 hostname: "mh" version: "1.12.0" '
            'address { ip: "10.1.0.99" port: 5056 } '
            'domain { fault_domain { region { name: "r1" } zone { name: "z1" } } } '
            'capabilities { type: AGENT_UPDATE } capabilities { type: QUOTA_V2 }',
}
PB_EXPECT = {"0.17.0": ("10.1.0.17", 5050), "0.20.0": ("m20", 5051), "0.23.0": ("m23", 5052),
             "0.24.0": ("a24", 5054), "HEAD": ("10.1.0.99", 5056)}
PB_IP = {"0.17.0": "10.1.0.17", "0.20.0": "10.1.0.20", "0.23.0": "10.1.0.23",
         "0.24.0": "10.1.0.24", "HEAD": "10.1.0.98"}


@pytest.mark.parametrize("version", sorted(MASTERINFO_SCHEMAS))
def test_masterinfo_of_every_schema_version(zk_server, reg, version):
    data = protoc_encode(version, PB_TEXT[version] % ip_field(PB_IP[version]))
    reg.register(data, json_label=False)
    r = leader(url(zk_server, reg.path), "--json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    host, port = PB_EXPECT[version]
    assert (got["host"], got["port"]) == (host, port)
    assert got["ip"] == PB_IP[version]  # network order (MESOS-1201) from a real encoder
    assert got["id"].startswith("m-")


def test_leader_decodes_what_mesos_decodes(zk_server, reg):
    # defect 7: a string of 256 bytes or more, a control character in a hostname, a negative
    # address.port (an int32) in JSON and protobuf
    long_host = "h" * 300
    data = protoc_encode("HEAD", f'id: "{"i" * 70000}" ip: {ip_field("10.2.0.1")} port: 5050 '
                                 f'hostname: "{long_host}"')
    a = reg.register(data, json_label=False)
    r = leader(url(zk_server, reg.path))
    assert (r.returncode, r.stdout) == (0, f"{long_host}:5050\n"), r.stderr[-500:]
    reg.leave(a)
    data = protoc_encode("HEAD", f'id: "x" ip: {ip_field("10.2.0.2")} port: 5050 '
                                 'hostname: "tab\\there" address { ip: "10.2.0.2" port: -1 }')
    b = reg.register(data, json_label=False)
    r = leader(url(zk_server, reg.path), "--json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["host"] == "tab\there" and got["address"]["port"] == -1
    reg.leave(b)
    reg.register(json.dumps({"id": "y", "ip": ip_field("10.2.0.3"), "port": 5050,
                             "hostname": "ctl\x01name",
                             "address": {"ip": "10.2.0.3", "port": -1}}).encode())
    r = leader(url(zk_server, reg.path), "--json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["host"] == "ctl\x01name" and got["port"] == 5050


def test_all_has_a_short_alias_and_a_found_line(zk_server, reg):
    c = zk_server.client()
    try:
        reg.register(master_info_json("10.3.0.1", hostname="first"))
        c.create(reg.path + "/json.info_", b"{broken", ephemeral=True, sequence=True)
        reg.register(master_info_pb("10.3.0.3", 5051), json_label=False)
        u = url(zk_server, reg.path)
        f = zk_server.tmp + "/leader-url"
        with open(f, "w") as fh:
            fh.write(" " + u + "\n")
        for flag, zk in [("-a", u), ("--all", "file://" + f)]:
            r = leader(zk, flag)
            assert r.returncode == 0, r.stderr
            assert r.stdout == "first:5050\n10.3.0.3:5051\n"
            lines = r.stderr.splitlines()
            assert lines[0] == "Found 3 masters; current leader: first", r.stderr
            assert "cannot decode" in r.stderr
        r = leader(u, "-a", "--json")
        assert [m["host"] for m in json.loads(r.stdout)] == ["first", "10.3.0.3"]
        assert r.stderr.splitlines()[0].startswith("Found 3 masters")
        r = leader(u)  # without --all: no Found line
        assert "Found" not in r.stderr and r.stdout == "first:5050\n"
    finally:
        c.stop()
        c.close()


# ---- the roles ------------------------------------------------------------------------------

def sysconf(tmp_path, files):
    """A ZKINIT_SYSCONFDIR with FILES {relative path: content}."""
    root = tmp_path / "etc"
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content)
    return str(root)


def role_env(role, tmp_path, files=None, **env):
    """Runs `zkinit ROLE -- env` and returns (CompletedProcess, {var: value} it printed)."""
    e = base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, files or {}), **env)
    r = run([role, "--", "env"], env=e)
    got = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
    return r, got


def only(got, *prefixes):
    return {k: v for k, v in got.items() if k.startswith(prefixes)}


def test_master_every_source_and_precedence(tmp_path):
    files = {
        "mesos/zk": "zk://f1:2181,f2:2181/mesos\n",
        "mesos-master/quorum": "2\n",
        "mesos-master/cluster": "from-file",
        "mesos-master/work-dir": "/data/mesos\n",
        "mesos-master/?no-hostname_lookup": "",
        "mesos-master/?log_auto_initialize": "",
        "mesos-master/.hidden": "not a flag",
    }
    r, got = role_env("mesos-master", tmp_path, files, MESOS_CLUSTER="from-env",
                      ZK_HOSTS="z1:2181", MESOS_MASTERS="5", HOST_IP="10.0.0.5")
    assert r.returncode == 0, r.stderr
    assert only(got, "MESOS_") == {
        "MESOS_CLUSTER": "from-env",                  # operator env > file
        "MESOS_ZK": "zk://f1:2181,f2:2181/mesos",     # file > ZK_HOSTS
        "MESOS_QUORUM": "2",                          # file > MESOS_MASTERS
        "MESOS_WORK_DIR": "/data/mesos",              # file (dash spelling) > default
        "MESOS_HOSTNAME_LOOKUP": "false",             # ?no-flag
        "MESOS_LOG_AUTO_INITIALIZE": "true",          # ?flag
        "MESOS_IP": "10.0.0.5", "MESOS_HOSTNAME": "10.0.0.5", "MESOS_ADVERTISE_IP": "10.0.0.5",
        "MESOS_MASTERS": "5",
    }


def test_master_derived_defaults(tmp_path):
    servers = "server.1=zk1:2888:3888;2181 server.2=zk2:2888:3888:participant;10.9.0.2:2182"
    r, got = role_env("mesos-master", tmp_path, ZOO_SERVERS=servers, MESOS_MASTERS="3",
                      MESOS_ZK_SESSION_TIMEOUT="20secs")
    assert r.returncode == 0, r.stderr
    assert only(got, "MESOS_") == {
        "MESOS_ZK": "zk://zk1:2181,10.9.0.2:2182/mesos",
        "MESOS_QUORUM": "2",
        "MESOS_WORK_DIR": "/var/lib/mesos",
        "MESOS_MASTERS": "3",
        "MESOS_ZK_SESSION_TIMEOUT": "20secs",
    }
    r, got = role_env("mesos-master", tmp_path, ZK_HOSTS="a,b:2182", MESOS_QUORUM="1",
                      MESOS_WORK_DIR="/w", MESOS_ZK="zk://op:2181/mesos")
    assert r.returncode == 0, r.stderr
    assert only(got, "MESOS_") == {
        "MESOS_ZK": "zk://op:2181/mesos", "MESOS_QUORUM": "1", "MESOS_WORK_DIR": "/w",
    }
    r, got = role_env("mesos-master", tmp_path)  # nothing: a standalone master
    assert r.returncode == 0, r.stderr
    assert only(got, "MESOS_") == {"MESOS_QUORUM": "1", "MESOS_WORK_DIR": "/var/lib/mesos"}


def test_master_zk_from_etcd(tmp_path, etcd_server):  # noqa: F811
    etcd_server.register_node("10.99.0.1", 1)
    etcd_server.register_node("10.99.0.2", 2)
    r, got = role_env("mesos-master", tmp_path, ETCD_ENDPOINTS=etcd_server.url, MESOS_MASTERS="1")
    assert r.returncode == 0, r.stderr
    assert got["MESOS_ZK"] == "zk://10.99.0.1:2181,10.99.0.2:2181/mesos"
    r, got = role_env("mesos-master", tmp_path, ETCD_ENDPOINTS=etcd_server.url, MESOS_MASTERS="1",
                      ZK_HOSTS="z:1")  # ZK_HOSTS first: etcd is not needed
    assert got["MESOS_ZK"] == "zk://z:1/mesos"


def test_agent_files_attributes_resources(tmp_path):
    files = {
        "mesos/zk": "zk://f1:2181/mesos\n",
        "mesos-slave/attributes/rack": "r1\n",
        "mesos-slave/attributes/zone": "z9",
        "mesos-slave/resources/cpus": "4",
        "mesos-slave/resources/mem": "1024\n",
        "mesos-slave/containerizers": "docker,mesos\n",
        "mesos-slave/port": "5052",
        "mesos-agent/port": "5053",
        "mesos-agent/?no-systemd_enable_support": "",
    }
    r, got = role_env("mesos-agent", tmp_path, files, ZK_HOSTS="z1", HOST_IP="10.0.0.8",
                      MESOS_WORK_DIR="/op")
    assert r.returncode == 0, r.stderr
    assert only(got, "MESOS_") == {
        "MESOS_MASTER": "zk://f1:2181/mesos",
        "MESOS_ATTRIBUTES": "rack:r1;zone:z9",
        "MESOS_RESOURCES": "cpus:4;mem:1024",
        "MESOS_CONTAINERIZERS": "docker,mesos",
        "MESOS_PORT": "5053",                      # mesos-agent/ > mesos-slave/
        "MESOS_SYSTEMD_ENABLE_SUPPORT": "false",
        "MESOS_WORK_DIR": "/op",
        "MESOS_IP": "10.0.0.8", "MESOS_HOSTNAME": "10.0.0.8", "MESOS_ADVERTISE_IP": "10.0.0.8",
    }
    r, got = role_env("mesos-agent", tmp_path / "x", ZK_HOSTS="z1,z2")
    assert r.returncode == 0, r.stderr
    assert only(got, "MESOS_") == {"MESOS_MASTER": "zk://z1:2181,z2:2181/mesos",
                                   "MESOS_WORK_DIR": "/var/lib/mesos"}


def test_marathon_settings(tmp_path):
    files = {"mesos/zk": "zk://u:p@f1:2181,f2:2181/mesos\n", "marathon/conf/?disable_ha": "",
             "marathon/conf/http_port": "8081\n", "marathon/conf/task_launch_timeout": "9"}
    r, got = role_env("marathon", tmp_path, files, HOST_IP="10.0.0.7", ZK_HOSTS="z1",
                      MARATHON_TASK_LAUNCH_TIMEOUT="300000", MESOS_WORK_DIR="/untouched")
    assert r.returncode == 0, r.stderr
    assert only(got, "MARATHON_", "LIBPROCESS_", "MESOS_") == {
        "MARATHON_MASTER": "zk://u:p@f1:2181,f2:2181/mesos",
        "MARATHON_ZK": "zk://u:p@f1:2181,f2:2181/marathon",
        "MARATHON_DISABLE_HA": "",
        "MARATHON_HTTP_PORT": "8081",
        "MARATHON_TASK_LAUNCH_TIMEOUT": "300000",
        "MARATHON_HOSTNAME": "10.0.0.7",
        "LIBPROCESS_IP": "10.0.0.7",
        "MESOS_WORK_DIR": "/untouched",
    }
    assert "p@f1" not in r.stderr  # credentials are not logged
    r, got = role_env("marathon", tmp_path / "y", ZK_HOSTS="z1",
                      MARATHON_MASTER="zk://m1:2181,m2:2181/mesos")
    assert only(got, "MARATHON_") == {"MARATHON_MASTER": "zk://m1:2181,m2:2181/mesos",
                                      "MARATHON_ZK": "zk://m1:2181,m2:2181/marathon"}


@pytest.mark.parametrize("role,rel,content,what", [
    ("mesos-master", "mesos-master/quorum", "2\n3\n", "more than one line"),
    ("mesos-agent", "mesos/zk", "zk://a:2181/mesos\nzk://b:2181/mesos\n", "more than one line"),
    ("mesos-agent", "mesos-slave/port", "5051\n5052\n", "more than one line"),
    ("mesos-agent", "mesos-slave/attributes/rack", "a\nb", "more than one line"),
    ("marathon", "marathon/conf/bad.name", "x", "flag name"),
    ("marathon", "marathon/conf/?no-ha", "", "no --no-FLAG"),
    ("mesos-master", "mesos-master/quorum", None, "Permission denied"),
])
def test_bad_file_is_65_naming_it(tmp_path, role, rel, content, what):
    root = sysconf(tmp_path, {rel: content or ""})
    if content is None:
        os.chmod(os.path.join(root, rel), 0)
        if os.access(os.path.join(root, rel), os.R_OK):
            pytest.skip("running as root: every file is readable")
    r = run([role, "--", "sh", "-c", "echo RAN"], env=base_env(ZKINIT_SYSCONFDIR=root))
    assert r.returncode == 65, r.stderr
    assert os.path.join(root, rel) in r.stderr and what in r.stderr
    assert "RAN" not in r.stdout


@pytest.mark.parametrize("env,var", [({"MESOS_MASTERS": "three"}, "MESOS_MASTERS"),
                                     ({"ZK_HOSTS": "a:b"}, "ZK_HOSTS"),
                                     ({"ZOO_SERVERS": "zk1:2181"}, "ZOO_SERVERS"),
                                     ({"HOST_IP": "10.0.0"}, "HOST_IP"),
                                     ({"ZKINIT_WAIT_FOR_LEADER": "soon"}, "ZKINIT_WAIT_FOR_LEADER")])
def test_bad_variable_is_64_naming_it(tmp_path, env, var):
    r = run(["mesos-master", "--", "sh", "-c", "echo RAN"],
            env=base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, {}), **env))
    if var == "ZKINIT_WAIT_FOR_LEADER":
        r = run(["mesos-agent", "--", "sh", "-c", "echo RAN"],
                env=base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, {}), ZK_HOSTS="z", **env))
    assert r.returncode == 64, r.stderr
    assert var in r.stderr and "RAN" not in r.stdout


def stub_bin(tmp_path, names):
    """A PATH directory with scripts NAMES that print their name and MESOS_MASTER."""
    d = tmp_path / "bin"
    d.mkdir(exist_ok=True)
    for n in names:
        p = d / n
        p.write_text(f'#!/bin/sh\necho "{n} $MESOS_MASTER$MARATHON_MASTER$MESOS_ZK $*"\n')
        p.chmod(p.stat().st_mode | stat.S_IXUSR)
    return str(d)


def test_default_commands(tmp_path):
    etc = sysconf(tmp_path, {"mesos/zk": "zk://f:2181/mesos", "mesos-master/quorum": "1"})
    d = stub_bin(tmp_path, ["mesos-master", "mesos-slave", "marathon"])
    env = base_env(ZKINIT_SYSCONFDIR=etc)
    env["PATH"] = d + ":" + env["PATH"]
    r = run(["mesos-master"], env=env)
    assert (r.returncode, r.stdout) == (0, "mesos-master zk://f:2181/mesos \n"), r.stderr
    r = run(["mesos-agent"], env=env)  # only mesos-slave is installed
    assert (r.returncode, r.stdout) == (0, "mesos-slave zk://f:2181/mesos \n"), r.stderr
    r = run(["marathon"], env=env)
    assert (r.returncode, r.stdout) == (0, "marathon zk://f:2181/mesos \n"), r.stderr
    stub_bin(tmp_path, ["mesos-agent"])  # both installed: mesos-agent
    r = run(["mesos-agent"], env=env)
    assert (r.returncode, r.stdout) == (0, "mesos-agent zk://f:2181/mesos \n"), r.stderr
    r = run(["mesos-agent", "--", "mesos-slave", "--x"], env=env)  # COMMAND replaces it
    assert (r.returncode, r.stdout) == (0, "mesos-slave zk://f:2181/mesos --x\n"), r.stderr
    r = run(["mesos-agent", "extra"], env=env)
    assert r.returncode == 64


def test_agent_as_pid1_lets_orphans_finish(tmp_path):
    # An executor's orphan outlives the agent: zkinit (PID 1) signals it and waits for it.
    done, ready = tmp_path / "orphan", tmp_path / "ready"
    # the agent exits only once the orphan's trap is set, else SIGTERM could beat the trap
    script = (f"(trap 'echo terminated > {done}; exit 0' TERM; : > {ready}; sleep 30 & wait) & "
              f"while [ ! -e {ready} ]; do sleep 0.01; done; echo started")
    env = base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, {}), ZKINIT_GRACE="10")
    r = run(["mesos-agent", "--", "sh", "-c", script], env=env, pid1=True)
    assert (r.returncode, r.stdout) == (0, "started\n"), r.stderr
    assert done.read_text() == "terminated\n"


def test_exit_status_of_the_daemon(tmp_path):
    env = base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, {}))
    assert run(["mesos-master", "--", "sh", "-c", "exit 7"], env=env).returncode == 7
    assert run(["marathon", "--", "no-such-marathon"], env=env).returncode == 127


# ---- issue 13: the packaging files as the wrapper and the daemons read them --------------------

def test_empty_attribute_or_resource_file_is_skipped(tmp_path):
    # defect 1: the wrapper skips empty files; Mesos refuses "zone:" and "mem:"
    files = {"mesos-slave/attributes/rack": "rack1\n", "mesos-slave/attributes/zone": "",
             "mesos-slave/resources/cpus": "4\n", "mesos-slave/resources/mem": "\n"}
    r, got = role_env("mesos-agent", tmp_path, files)
    assert r.returncode == 0, r.stderr
    assert got["MESOS_ATTRIBUTES"] == "rack:rack1"
    assert got["MESOS_RESOURCES"] == "cpus:4"


def test_blanks_crlf_and_trailing_blank_lines_are_dropped(tmp_path):
    # defects 2 and 3: "5051 " made Mesos exit; a trailing tab was used silently; a trailing
    # blank line or CRLF was exit 65
    files = {"mesos-slave/port": "5051 \n", "mesos-slave/work_dir": "/var/lib/mesos\t",
             "mesos/zk": "zk://a:2181,b:2181/mesos\r\n\r\n",
             "mesos-slave/hostname": "  agent1.example\n\n"}
    r, got = role_env("mesos-agent", tmp_path, files)
    assert r.returncode == 0, r.stderr
    assert only(got, "MESOS_") == {"MESOS_PORT": "5051", "MESOS_WORK_DIR": "/var/lib/mesos",
                                   "MESOS_MASTER": "zk://a:2181,b:2181/mesos",
                                   "MESOS_HOSTNAME": "agent1.example"}


@pytest.mark.parametrize("content", ["5051\n\n", "5051\r\n", "5051\r\n\r\n", "\n5051\n"])
def test_trailing_blank_lines_of_the_issue(tmp_path, content):
    # defect 3, byte for byte: printf '5051\n\n' > T/mesos-slave/port was exit 65
    r, got = role_env("mesos-agent", tmp_path, {"mesos-slave/port": content})
    assert (r.returncode, got.get("MESOS_PORT")) == (0, "5051"), r.stderr


def test_list_values_on_several_lines_are_joined(tmp_path):
    # defect 3: "either separated by commas on one line, or on separate lines"
    files = {"mesos-slave/containerizers": "docker\nmesos\n",
             "mesos-slave/isolation": "cgroups/cpu\r\ncgroups/mem\r\n",
             "mesos-slave/attributes": "rack:r1\nzone:z2\n",
             "mesos-master/roles": "a\n\nb\n"}
    r, got = role_env("mesos-agent", tmp_path, files)
    assert r.returncode == 0, r.stderr
    assert got["MESOS_CONTAINERIZERS"] == "docker,mesos"
    assert got["MESOS_ISOLATION"] == "cgroups/cpu,cgroups/mem"
    assert got["MESOS_ATTRIBUTES"] == "rack:r1;zone:z2"  # Mesos's separator for attributes
    r, got = role_env("mesos-master", tmp_path / "m", {"mesos-master/roles": "a\n\nb\n"})
    assert r.returncode == 0, r.stderr
    assert got["MESOS_ROLES"] == "a,b"


@pytest.mark.parametrize("role,rel,hint", [
    ("mesos-agent", "mesos-slave/containerizer", "did you mean containerizers?"),
    ("mesos-agent", "mesos-slave/quorum", "quorum is a mesos-master flag"),
    ("mesos-master", "mesos-master/?no-hostname_lookups", "did you mean hostname_lookup?"),
    ("marathon", "marathon/conf/http-prot", "did you mean http_port?"),
])
def test_unknown_flag_file_is_65_with_a_hint(tmp_path, role, rel, hint):
    # defect 4: Mesos dropped an unknown MESOS_* variable without a word
    root = sysconf(tmp_path, {rel: "x\n" if "?" not in rel else ""})
    r = run([role, "--", "sh", "-c", "echo RAN"], env=base_env(ZKINIT_SYSCONFDIR=root))
    assert r.returncode == 65, r.stderr
    assert os.path.join(root, rel) in r.stderr and hint in r.stderr and "RAN" not in r.stdout
    assert len([ln for ln in r.stderr.splitlines() if "level=error" in ln]) == 1
    # ZKINIT_MESOS_UNKNOWN_FLAGS=warn: a warning, and the variable is exported (newer daemons)
    r = run([role, "--", "env"], env=base_env(ZKINIT_SYSCONFDIR=root,
                                              ZKINIT_MESOS_UNKNOWN_FLAGS="warn"))
    assert r.returncode == 0, r.stderr
    assert "level=warn" in r.stderr and hint in r.stderr
    r = run([role, "--", "env"], env=base_env(ZKINIT_SYSCONFDIR=root,
                                              ZKINIT_MESOS_UNKNOWN_FLAGS="maybe"))
    assert r.returncode == 64 and "ZKINIT_MESOS_UNKNOWN_FLAGS" in r.stderr


@pytest.mark.parametrize("role,rel", [("mesos-agent", "mesos-slave/?hostname"),
                                      ("mesos-master", "mesos-master/?no-port"),
                                      ("marathon", "marathon/conf/?master")])
def test_question_mark_file_on_a_flag_with_a_value_is_65(tmp_path, role, rel):
    # defect 5: ?hostname gave MESOS_HOSTNAME=true
    root = sysconf(tmp_path, {rel: ""})
    r = run([role, "--", "sh", "-c", "echo RAN"], env=base_env(ZKINIT_SYSCONFDIR=root))
    assert r.returncode == 65, r.stderr
    assert os.path.join(root, rel) in r.stderr and "takes a value" in r.stderr


def test_known_booleans_still_work(tmp_path):
    files = {"mesos-slave/?switch_user": "", "mesos-slave/?no-hostname_lookup": "",
             "marathon/conf/?disable_ha": "", "marathon/conf/?checkpoint": "",
             # the wrappers' own switch (mesos-init-wrapper, marathon-framework): not a flag
             "mesos-slave/?no-logger": "", "marathon/conf/?no_logger": ""}
    r, got = role_env("mesos-agent", tmp_path, files)
    assert r.returncode == 0, r.stderr
    assert got["MESOS_SWITCH_USER"] == "true" and got["MESOS_HOSTNAME_LOOKUP"] == "false"
    r, got = role_env("marathon", tmp_path, files)
    assert r.returncode == 0, r.stderr
    assert got["MARATHON_DISABLE_HA"] == "" and got["MARATHON_CHECKPOINT"] == ""
    assert not [k for k in got if "LOGGER" in k]


def test_master_with_zookeeper_needs_a_quorum(tmp_path):
    # Mesos refuses to start without --quorum with ZooKeeper (1 is unsafe for three masters)
    for files, env in [({}, {"ZK_HOSTS": "z1"}), ({"mesos/zk": "zk://z1:2181/mesos\n"}, {})]:
        r = run(["mesos-master", "--", "sh", "-c", "echo RAN"],
                env=base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, files), **env))
        assert r.returncode == 64 and "RAN" not in r.stdout, r.stderr
        assert "MESOS_QUORUM" in r.stderr and "MESOS_MASTERS" in r.stderr
    r, got = role_env("mesos-master", tmp_path / "i", ZK_HOSTS="z1", MESOS_REGISTRY="in_memory")
    assert r.returncode == 0, r.stderr  # no replicated log: Mesos needs no quorum
    r, got = role_env("mesos-master", tmp_path / "s")  # standalone: no ZooKeeper, quorum 1
    assert r.returncode == 0 and got["MESOS_QUORUM"] == "1", r.stderr


def test_shipped_compose_file_sets_mesos_masters():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    text = open(os.path.join(root, "compose", "docker-compose.yml")).read()
    master = text.split("mesos-master:", 1)[1].split("\n  mesos-agent", 1)[0]
    assert "MESOS_MASTERS" in master or "MESOS_QUORUM" in master


def test_ipv6_host_ip(tmp_path):
    # defect 6: libprocess takes only IPv4 in LIBPROCESS_IP / --ip / --advertise_ip
    r, got = role_env("mesos-agent", tmp_path, HOST_IP="fd00::8")
    assert r.returncode == 0, r.stderr
    assert got.get("MESOS_IP6") == "fd00::8"
    assert not {"MESOS_IP", "MESOS_ADVERTISE_IP", "MESOS_HOSTNAME"} & set(got)
    assert "IPv6" in r.stderr and "level=warn" in r.stderr
    for role in ["mesos-master", "marathon"]:
        r, got = role_env(role, tmp_path, HOST_IP="fd00::8")
        assert r.returncode == 0, r.stderr
        assert not [k for k, v in got.items() if v == "fd00::8" and k != "HOST_IP"], got
        assert "IPv6" in r.stderr and "does not support" in r.stderr
    r, got = role_env("mesos-agent", tmp_path, HOST_IP="fd00::8",
                      MESOS_IP6_DISCOVERY_COMMAND="echo fd00::9")  # Mesos refuses both
    assert "MESOS_IP6" not in got, r.stderr
    r, got = role_env("mesos-agent", tmp_path, HOST_IP="10.0.0.8",
                      MESOS_IP_DISCOVERY_COMMAND="echo 10.0.0.9")
    assert "MESOS_IP" not in got and got["MESOS_ADVERTISE_IP"] == "10.0.0.8", r.stderr
    r, got = role_env("marathon", tmp_path, HOST_IP="10.0.0.7")  # IPv4 as before
    assert got["LIBPROCESS_IP"] == "10.0.0.7" and got["MARATHON_HOSTNAME"] == "10.0.0.7"


def test_etc_default_files_are_not_read_but_reported(tmp_path):
    files = {"default/mesos": "LOGS=/var/log/mesos\nULIMIT=\"-n 8192\"\n",
             "default/mesos-slave": "MASTER=`cat /etc/mesos/zk`\n# a comment\n"
                                    "export MESOS_ISOLATION=cgroups/cpu\nIP=10.1.1.1\n",
             "default/mesos-master": "PORT=5050\nZK=`cat /etc/mesos/zk`\n"}
    r, got = role_env("mesos-agent", tmp_path, files)
    assert r.returncode == 0, r.stderr
    assert "MESOS_ISOLATION" not in got and "MESOS_IP" not in got
    warn = [ln for ln in r.stderr.splitlines() if "not read" in ln]
    assert len(warn) == 1 and "default/mesos-slave" in warn[0], r.stderr
    assert 'variables="MESOS_ISOLATION IP"' in warn[0]
    r, got = role_env("mesos-master", tmp_path, files, MESOS_QUORUM="1")  # the shipped lines
    assert r.returncode == 0 and "not read" not in r.stderr, r.stderr


# ---- waiting for a leader -------------------------------------------------------------------

def test_agent_waits_for_a_leader_that_appears_later(tmp_path, zk_server, procs, request):
    path = "/w/" + request.node.name  # does not exist yet: watched for creation
    marker = tmp_path / "ran"
    env = base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, {}), ZK_HOSTS=zk_server.hosts,
                   ZKINIT_WAIT_FOR_LEADER="60", MESOS_MASTER=url(zk_server, path))
    p = procs.start([ZKINIT, "mesos-agent", "--", "sh", "-c", f"touch {marker}"], env=env)
    wait_for(lambda: "waiting for a leading Mesos master" in p.stderr(), what="wait log")
    time.sleep(1)
    assert p.p.poll() is None and not marker.exists()
    r = Registrar(zk_server, path)
    try:
        r.register(master_info_json("10.0.0.11"))
        assert p.wait(60) == 0, p.stderr()
        assert marker.exists()
        assert "a Mesos master is registered" in p.stderr()
    finally:
        r.close()


def test_marathon_waits_on_an_existing_empty_path(tmp_path, zk_server, procs, reg):
    marker = tmp_path / "ran"
    files = {"mesos/zk": url(zk_server, reg.path) + "\n"}
    env = base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, files), ZKINIT_WAIT_FOR_LEADER="60")
    p = procs.start([ZKINIT, "marathon", "--", "sh", "-c", f"touch {marker}"], env=env)
    wait_for(lambda: "waiting for a leading Mesos master" in p.stderr(), what="wait log")
    c = zk_server.client()
    try:
        c.create(reg.path + "/log_replicas", b"")  # a child event, but not a master
        time.sleep(1)
        assert p.p.poll() is None and not marker.exists()
    finally:
        c.stop()
        c.close()
    reg.register(master_info_pb("10.0.0.12"), json_label=False)
    assert p.wait(60) == 0, p.stderr()
    assert marker.exists()


def test_no_leader_by_the_deadline_is_69(tmp_path, zk_server, reg):
    env = base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, {}), ZKINIT_WAIT_FOR_LEADER="1",
                   MESOS_MASTER=url(zk_server, reg.path))
    r = run(["mesos-agent", "--", "sh", "-c", "echo RAN"], env=env)
    assert r.returncode == 69 and "RAN" not in r.stdout
    assert "no leading Mesos master before the deadline" in r.stderr
    env["MESOS_MASTER"] = f"zk://{CLOSED}/mesos"  # ZooKeeper unreachable
    r = run(["mesos-agent", "--", "sh", "-c", "echo RAN"], env=env)
    assert r.returncode == 69 and "RAN" not in r.stdout and "unreachable" in r.stderr
    env["MESOS_MASTER"] = "10.0.0.1:5050"  # not a zk:// URL: nothing to watch
    r = run(["mesos-agent", "--", "sh", "-c", "echo RAN"], env=env)
    assert r.returncode == 64 and "MESOS_MASTER" in r.stderr


def test_wait_accepts_master_urls_mesos_accepts(tmp_path, zk_server):
    # file:///path holding the URL, a leading blank, a password containing '@'
    from kazoo.client import KazooClient
    c = KazooClient(hosts=zk_server.hosts, auth_data=[("digest", "mesos:p@ss@w0rd")])
    c.start(timeout=15)
    try:
        acl = [make_digest_acl("mesos", "p@ss@w0rd", all=True)]
        c.create("/wsec", b"", acl=acl)
        c.create("/wsec/json.info_", master_info_json("10.4.0.1"), acl=acl, ephemeral=True,
                 sequence=True)
        secret_url = f"zk://mesos:p@ss@w0rd@{zk_server.hosts}/wsec"
        urlfile = tmp_path / "zk-url"
        urlfile.write_text(secret_url + "\n")
        for master in [secret_url, "  " + secret_url, f"file://{urlfile}"]:
            env = base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, {}), ZKINIT_WAIT_FOR_LEADER="20",
                           MESOS_MASTER=master)
            r = run(["mesos-agent", "--", "sh", "-c", "echo RAN"], env=env)
            assert (r.returncode, r.stdout) == (0, "RAN\n"), r.stderr
            assert "a Mesos master is registered" in r.stderr
            assert "p@ss" not in r.stderr and "w0rd" not in r.stderr  # masked
            assert "zk://mesos:***@" in r.stderr or "zk://***@" in r.stderr  # user kept or not
        # Marathon: MARATHON_ZK from a file:// master, not a quiet fallback to ZK_HOSTS
        r, got = role_env("marathon", tmp_path, ZK_HOSTS="other:2181",
                          MARATHON_MASTER=f"file://{urlfile}")
        assert got["MARATHON_ZK"] == f"zk://mesos:p@ss@w0rd@{zk_server.hosts}/marathon"
        assert "w0rd" not in r.stderr
    finally:
        c.stop()
        c.close()


def test_marathon_with_a_host_port_master_says_where_zk_comes_from(tmp_path):
    r, got = role_env("marathon", tmp_path, ZK_HOSTS="z1", MARATHON_MASTER="10.0.0.1:5050")
    assert r.returncode == 0, r.stderr
    assert got["MARATHON_ZK"] == "zk://z1:2181/marathon"
    assert "not a zk:// URL" in r.stderr and "level=warn" in r.stderr
    r, got = role_env("marathon", tmp_path, MARATHON_MASTER="zk://h:99999/mesos")
    assert r.returncode == 64 and "MARATHON_MASTER" in r.stderr


def test_sigterm_ends_the_wait_for_a_leader(tmp_path, zk_server, procs, reg):
    marker = tmp_path / "ran"
    env = base_env(ZKINIT_SYSCONFDIR=sysconf(tmp_path, {}), ZKINIT_WAIT_FOR_LEADER="300",
                   MESOS_MASTER=url(zk_server, reg.path))
    p = procs.start(pid1_argv(["mesos-agent", "--", "sh", "-c", f"touch {marker}"]), env=env)
    wait_for(lambda: "waiting for a leading Mesos master" in p.stderr(), what="wait log")
    os.kill(p.pid1(), signal.SIGTERM)
    assert p.wait(30) == 143, p.stderr()
    assert not marker.exists()
    assert "stopped while waiting" in p.stderr()


# ---- health ---------------------------------------------------------------------------------

@pytest.fixture
def http_stub():
    s = HttpStub()
    yield s
    s.close()


def test_health_roles(http_stub):
    h = "127.0.0.41"
    for role, portvar, path in [("mesos-master", "MESOS_PORT", "/health"),
                                ("mesos-agent", "MESOS_PORT", "/health"),
                                ("marathon", "MARATHON_HTTP_PORT", "/ping")]:
        env = base_env(ZKINIT_HEALTH_HOST=h, **{portvar: http_stub.port})
        http_stub.status = 200
        assert run(["health", role], env=env).returncode == 0
        assert http_stub.paths[-1] == path
        http_stub.status = 503
        r = run(["health", role], env=env)
        assert r.returncode == 1 and "503" in r.stderr
    http_stub.status = 204
    env = base_env(ZKINIT_HEALTH_URL=http_stub.url("/custom"))
    assert run(["health", "marathon"], env=env).returncode == 0
    assert http_stub.paths[-1] == "/custom"
    env = base_env(ZKINIT_HEALTH_URL="http://127.0.0.42:1/health")
    assert run(["health", "mesos-master"], env=env).returncode == 1
    # credentials in the URL are used, never logged
    http_stub.status = 503
    env = base_env(ZKINIT_HEALTH_URL=http_stub.url("/auth").replace("http://", "http://ops:s3cr3t@"))
    r = run(["health", "marathon"], env=env)
    assert r.returncode == 1 and "/auth" in r.stderr and "s3cr3t" not in r.stderr, r.stderr
    env = base_env(MESOS_PORT="http")
    r = run(["health", "mesos-agent"], env=env)
    assert r.returncode == 64 and "MESOS_PORT" in r.stderr
