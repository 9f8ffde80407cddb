"""ZooKeeper's access control under zkinit (real ZooKeeper 3.8, real etcd 3.4): ACLs stay on in the
default membership configuration, the super digest never shows in the JVM's argv or environment,
a missing password turns membership off (or needs ZOO_SKIP_ACL=yes), the password generated in
etcd is the same for every node, and the root-owned start gives the data tree to the zookeeper user
without following symlinks or hard links out of it. Addresses: 127.0.0.51-59 (this area)."""
import base64
import hashlib
import os
import pwd

import pytest
from kazoo.client import KazooClient
from kazoo.exceptions import NoAuthError
from kazoo.security import make_digest_acl

from conftest import base_env, run
from etcd_support import etcd_server  # noqa: F401  (module-scoped fixture)
from zk_support import ZkNode

PASSWORD = "Correct-Horse-7"
APP_USER, APP_PASSWORD = "app", "app-pw"


def super_digest(password):
    d = hashlib.sha1(f"super:{password}".encode()).digest()
    return "super:" + base64.b64encode(d).decode()


def client(hosts, auth=None):
    zk = KazooClient(hosts=hosts, timeout=10, auth_data=auth or [])
    zk.start(timeout=15)
    return zk


SECURE_PREFIX = "/zk-security-acl"


@pytest.fixture(scope="module")
def secured(tmp_path_factory, etcd_server):
    """One server in the default membership configuration with etcd: no password given, no
    ZOO_SKIP_ACL. zkinit generates the super password and keeps it in etcd."""
    etcd_server.wipe(SECURE_PREFIX)
    n = ZkNode(tmp_path_factory.mktemp("zk-secure"), 1, "127.0.0.51")
    n.start(ZOO_SKIP_ACL=None, ETCD_ENDPOINTS=etcd_server.url, ETCD_PREFIX=SECURE_PREFIX)
    try:
        n.wait_serving()
        n.password = etcd_server.get(SECURE_PREFIX + "/super_password")
        yield n
    finally:
        n.kill()


def test_unauthenticated_client_is_refused_on_a_digest_acl_znode(secured):
    cfg = open(os.path.join(secured.conf, "zoo.cfg")).read()
    assert "reconfigEnabled=true" in cfg and "skipACL" not in cfg
    owner = client(secured.hostport, [("digest", f"{APP_USER}:{APP_PASSWORD}")])
    try:
        acl = make_digest_acl(APP_USER, APP_PASSWORD, all=True)
        owner.create("/secure", b"kept", acl=[acl])
    finally:
        owner.stop()
        owner.close()
    anon = client(secured.hostport)
    try:
        with pytest.raises(NoAuthError):
            anon.get("/secure")
        with pytest.raises(NoAuthError):
            anon.set("/secure", b"overwritten")
    finally:
        anon.stop()
        anon.close()
    # the super user (the digest reached the JVM through the argument file) may read it
    su = client(secured.hostport, [("digest", f"super:{secured.password}")])
    try:
        assert su.get("/secure")[0] == b"kept"
    finally:
        su.stop()
        su.close()


def jvm_pid(node):
    for pid in node.proc.descendants():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"QuorumPeerMain" in f.read():
                    return pid
        except OSError:
            pass
    raise AssertionError("no JVM found below the node")


def test_jvm_cmdline_and_environ_hold_no_secret(secured):
    pid = jvm_pid(secured)
    password = secured.password
    assert password
    digest = super_digest(password)
    for name in ("cmdline", "environ"):
        with open(f"/proc/{pid}/{name}", "rb") as f:
            text = f.read().decode(errors="replace")
        assert password not in text, name
        assert digest.split(":", 1)[1] not in text, name
        assert "superDigest" not in text, name
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        argv = f.read().split(b"\0")
    argfiles = [a.decode()[1:] for a in argv if a.startswith(b"@")]
    assert len(argfiles) == 1
    st = os.stat(argfiles[0])
    assert st.st_mode & 0o777 == 0o600
    assert digest in open(argfiles[0]).read()
    assert password not in secured.stderr()


def quick_env(tmp_path, **extra):
    env = dict(MYID=1, HOST_IP="127.0.0.52", ZOO_USER="root", ZOO_CONF_DIR=str(tmp_path / "conf"),
               ZOO_DATA_DIR=str(tmp_path / "data"), ZOO_DATA_LOG_DIR=str(tmp_path / "datalog"),
               ZOO_LOG_DIR=str(tmp_path / "logs"))
    env.update(extra)
    return base_env(**env)


def test_without_a_password_membership_is_off_and_says_what_to_set(tmp_path):
    cfg = tmp_path / "conf" / "zoo.cfg"
    r = run(["zookeeper", "--", "/bin/cat", str(cfg)], env=quick_env(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "reconfigEnabled" not in r.stdout and "skipACL" not in r.stdout
    assert "server.1=localhost:2888:3888;2181\n" in r.stdout  # the official image's file
    assert "standaloneEnabled=true\n" in r.stdout
    hints = [l for l in r.stderr.splitlines() if "ZOO_SKIP_ACL" in l]
    assert len(hints) == 1 and "ZOO_SUPER_PASSWORD" in hints[0]
    r = run(["zookeeper", "--", "/bin/cat", str(cfg)],
            env=quick_env(tmp_path, ZOO_SKIP_ACL="yes"))
    assert r.returncode == 0, r.stderr
    assert "reconfigEnabled=true\n" in r.stdout and "skipACL=yes\n" in r.stdout
    assert "level=warn" in r.stderr and "ZOO_SKIP_ACL=yes" in r.stderr


def test_password_from_the_environment_is_not_inherited(tmp_path):
    r = run(["zookeeper", "--", "/usr/bin/env"],
            env=quick_env(tmp_path, ZOO_SUPER_PASSWORD=PASSWORD))
    assert r.returncode == 0, r.stderr
    assert PASSWORD not in r.stdout and super_digest(PASSWORD) not in r.stdout
    assert "SERVER_JVMFLAGS=@" in r.stdout
    assert PASSWORD not in r.stderr


def test_etcd_generates_one_password_for_every_node(tmp_path, etcd_server):
    prefix = "/zk-security-test"
    etcd_server.wipe(prefix)
    digests = []
    for i, ip in enumerate(["127.0.0.53", "127.0.0.54"]):
        d = tmp_path / f"n{i}"
        argfile = d / "data" / ".zkinit-jvm-secret.args"
        env = quick_env(d, HOST_IP=ip, MYID=None, ETCD_ENDPOINTS=etcd_server.url,
                        ETCD_PREFIX=prefix)
        r = run(["zookeeper", "--", "/bin/cat", str(argfile)], env=env)
        assert r.returncode == 0, r.stderr
        digests.append(r.stdout.strip())
        cfg = (d / "conf" / "zoo.cfg").read_text()
        assert "reconfigEnabled=true" in cfg and "skipACL" not in cfg
    stored = etcd_server.get(prefix + "/super_password")
    assert stored and len(stored) >= 32
    assert digests[0] == digests[1] == \
        "-Dzookeeper.DigestAuthenticationProvider.superDigest=" + super_digest(stored)
    assert "generated the ensemble's super password" in r.stderr or "from etcd" in r.stderr
    assert stored not in r.stderr


def test_root_start_chowns_the_tree_without_leaving_it(tmp_path):
    try:
        zk = pwd.getpwnam("zookeeper")
    except KeyError:
        pytest.skip("no zookeeper user on this machine")
    outside = tmp_path / "outside"
    outside.write_text("root's\n")
    data = tmp_path / "data"
    (data / "version-2").mkdir(parents=True)
    (data / "version-2" / "snap.0").write_text("x")
    os.symlink(str(outside), str(data / "link"))
    os.link(str(outside), str(data / "hardlink"))
    os.symlink(str(tmp_path), str(data / "dirlink"))
    env = quick_env(tmp_path, ZOO_USER=None)
    r = run(["zookeeper", "--", "/usr/bin/id", "-un"], env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "zookeeper"
    assert os.stat(data / "version-2" / "snap.0").st_uid == zk.pw_uid
    assert os.stat(data / "version-2").st_uid == zk.pw_uid
    assert os.stat(outside).st_uid == 0  # neither through the symlink nor the hard link
    assert os.stat(tmp_path).st_uid == 0
    assert os.lstat(data / "link").st_uid == zk.pw_uid


def test_bitnami_auth_writes_a_private_jaas_file_and_keeps_passwords_out_of_the_child(tmp_path):
    pwfile = tmp_path / "server-passwords"
    pwfile.write_text("Srv-Pass-1,Srv-Pass-2\n")
    env = quick_env(tmp_path, ZOO_ENABLE_AUTH="yes", ZOO_SERVER_USERS="alice,bob",
                    ZOO_SERVER_PASSWORDS_FILE=str(pwfile), ZOO_CLIENT_USER="alice",
                    ZOO_CLIENT_PASSWORD="Srv-Pass-1")
    r = run(["zookeeper", "--", "/usr/bin/env"], env=env)
    assert r.returncode == 0, r.stderr
    jaas = tmp_path / "data" / ".zkinit-jaas.conf"
    assert os.stat(jaas).st_mode & 0o777 == 0o600
    text = jaas.read_text()
    assert 'user_alice="Srv-Pass-1"' in text and 'user_bob="Srv-Pass-2"' in text
    assert 'username="alice"' in text
    assert f"-Djava.security.auth.login.config={jaas}" in r.stdout
    for secret in ("Srv-Pass-1", "Srv-Pass-2"):
        assert secret not in r.stdout and secret not in r.stderr
    cfg = (tmp_path / "conf" / "zoo.cfg").read_text()
    assert "authProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\n" in cfg
    r = run(["zookeeper", "--", "/bin/true"],
            env=quick_env(tmp_path / "b", ZOO_ENABLE_AUTH="yes", ZOO_SERVER_USERS="alice,bob",
                          ZOO_SERVER_PASSWORDS="only-one"))
    assert r.returncode == 64 and "ZOO_SERVER_USERS" in r.stderr and "only-one" not in r.stderr
