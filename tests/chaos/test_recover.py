"""`zkinit recover` after a quorum is lost for good: a real 3-node ensemble (Debian's ZooKeeper 3.8,
each node `zkinit zookeeper` as PID 1 on 127.0.0.121-123), two nodes SIGKILLed and their volumes
wiped. The survivor cannot serve alone and the wiped ones cannot come back; `zkinit recover` on the
survivor reports, refuses what it must, and with --force makes it the only member: it serves
alone with every write it had, and the other two rejoin it on fresh volumes.

Run it (like every suite that starts JVMs here) under the machine's JVM lock:
    flock /tmp/zkinit-jvm.lock /usr/bin/python3 -m pytest -q tests/chaos/test_recover.py"""
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))

from kazoo.client import KazooClient  # noqa: E402

from conftest import ZKINIT, wait_for  # noqa: E402
from zk_support import ZkNode, four_letter, get_config, mode, wait_members  # noqa: E402

IPS = ["127.0.0.121", "127.0.0.122", "127.0.0.123"]
WRITES = 150
TOOLKIT_CP = ":".join("/usr/share/java/" + j for j in (
    "zookeeper.jar", "zookeeper-jute.jar", "slf4j-api.jar", "commons-cli.jar"))

KV = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')


def logfmt(text, msg):
    """Every log line of TEXT whose msg is MSG, as a dict."""
    out = []
    for line in text.splitlines():
        kv = {k: v[1:-1] if v.startswith('"') else v for k, v in KV.findall(line)}
        if kv.get("msg") == msg:
            out.append(kv)
    return out


def files_of(d):
    """{path: sha256} of every file below D: what a dry run must leave alone."""
    out = {}
    for root, _, names in os.walk(d):
        for n in names:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                out[p] = hashlib.sha256(f.read()).hexdigest()
    return out


def recover(node, *args, **env):
    """`zkinit recover ARGS` with NODE's variables (its ZOO_DATA_DIR, ZOO_DATA_LOG_DIR)."""
    r = subprocess.run([ZKINIT, "recover"] + list(args), env=node.env(**env),
                       capture_output=True, text=True, timeout=120)
    print(f"$ zkinit recover {' '.join(args)}  (exit {r.returncode})\n{r.stderr}")
    return r


def children(hostport, path="/rec"):
    zk = KazooClient(hosts=hostport, timeout=10)
    try:
        zk.start(timeout=15)
        zk.sync(path)
        return set(zk.get_children(path))
    finally:
        zk.stop()
        zk.close()


def toolkit_last_zxid(log_file):
    """The last zxid ZooKeeper's own TxnLogToolkit reads from LOG_FILE (an independent reader)."""
    out = subprocess.run(["java", "-Xmx64m", "-XX:-UsePerfData", "-cp", TOOLKIT_CP,
                          "org.apache.zookeeper.server.persistence.TxnLogToolkit", log_file],
                         capture_output=True, text=True, timeout=60).stdout
    zxids = re.findall(r" zxid 0x([0-9a-f]+) ", out)
    assert zxids, out[-2000:]
    return int(zxids[-1], 16)


def wipe(n):
    shutil.rmtree(n.data, ignore_errors=True)
    shutil.rmtree(os.path.join(n.dir, "datalog"), ignore_errors=True)


@pytest.fixture
def nodes(tmp_path):
    ns = [ZkNode(tmp_path, i + 1, ip) for i, ip in enumerate(IPS)]
    try:
        yield ns
    finally:
        for n in ns:
            n.kill()


def test_recover_after_losing_two_of_three(nodes, tmp_path):
    seeds = " ".join(f"server.{n.id}={n.ip}:2888:3888;{n.ip}:2181" for n in nodes)
    opts = dict(ZOO_SERVERS=seeds, ZOO_LEAVE_TIMEOUT=2, ZKINIT_GRACE=10, ZOO_JOIN_TIMEOUT=120)
    one, two, three = nodes
    for n in nodes:
        n.start(**opts)
    for n in nodes:
        n.wait_serving(120)
    wait_members(nodes, {1, 2, 3}, timeout=60)

    # Acknowledged writes, all read back from zk1 (so the survivor has every one of them).
    zk = KazooClient(hosts=",".join(n.hostport for n in nodes), timeout=10)
    zk.start(timeout=15)
    zk.ensure_path("/rec")
    acked = set()
    for i in range(WRITES):
        zk.create(f"/rec/w-{i:05d}", b"%d" % i)
        acked.add(f"w-{i:05d}")
    zk.stop()
    zk.close()
    assert children(one.hostport) == acked
    zxid_before = int(re.search(r"Zxid: 0x([0-9a-f]+)", four_letter(one.ip, "srvr")).group(1), 16)

    # Two of three lost for good: SIGKILL, volumes wiped.
    for n in (two, three):
        n.kill()
        wipe(n)
    wait_for(lambda: "not currently serving" in four_letter(one.ip, "srvr"), 60, 0.2,
             "zk1 without a quorum")

    # While zk1's ZooKeeper runs, recover refuses (its files are in use).
    r = recover(one)
    assert r.returncode == 65, r.stderr
    (v,) = logfmt(r.stderr, "recover refused")
    assert v["verdict"] == "refuse-running" and v["node"] == "1", r.stderr

    # A wiped node cannot bring the ensemble back: zk1's election port says it was part of a formed
    # ensemble, so the empty zk2 waits for a live quorum, and gives up after ZOO_JOIN_TIMEOUT.
    two.start(**dict(opts, ZOO_JOIN_TIMEOUT=3))
    assert two.proc.wait(timeout=60) == 69, two.zk_log()
    assert logfmt(two.stderr(), "start decision")[0]["action"] == "wait", two.zk_log()
    assert logfmt(two.stderr(), "no live ensemble answered before ZOO_JOIN_TIMEOUT"), two.zk_log()
    wipe(two)

    # zk1 stops (its leave cannot reach a quorum) and, started again alone, does not serve: it
    # starts with its last committed config, whose quorum is gone.
    one.stop(timeout=60)
    one.start(**opts)
    wait_for(lambda: "not currently serving" in four_letter(one.ip, "srvr"), 120, 0.2,
             "zk1 up without a quorum")
    assert logfmt(one.stderr(), "start decision")[-1]["action"] == "start-with-last-committed"
    one.stop(timeout=60)
    before = files_of(one.data) | files_of(os.path.join(one.dir, "datalog"))

    # The dry run: one line per node, the verdict, nothing changed.
    r = recover(one)
    assert r.returncode == 0, r.stderr
    reports = {x["id"]: x for x in logfmt(r.stderr, "recover: node")}
    assert set(reports) == {"1", "2", "3"}, r.stderr
    assert reports["1"]["source"] == "data" and reports["1"]["target"] == "yes"
    assert reports["1"]["members"] == "1,2,3"
    assert reports["2"]["source"] == reports["3"]["source"] == "unreachable"
    last = int(reports["1"]["last_zxid"], 16)
    assert last >= zxid_before
    (dry,) = logfmt(r.stderr, "recover: dry run, nothing changed")
    assert dry["verdict"] == "proceed" and dry["keeps"].startswith("server.1=127.0.0.121:")
    old_version = reports["1"]["config_version"]
    assert int(dry["new_version"], 16) == max(last, int(old_version, 16)) + 1
    assert files_of(one.data) | files_of(os.path.join(one.dir, "datalog")) == before

    # zkinit's reader agrees with ZooKeeper's own on the last record of the newest log.
    logs = sorted(glob.glob(os.path.join(one.dir, "datalog", "version-2", "log.*")),
                  key=lambda p: int(p.rsplit(".", 1)[1], 16))
    snaps = [int(p.rsplit(".", 1)[1], 16)
             for p in glob.glob(os.path.join(one.data, "version-2", "snapshot.*"))]
    assert last == max([toolkit_last_zxid(logs[-1])] + snaps)

    # Another server's data directory with a higher zxid refuses it, unless --i-know names it.
    # (A copy of zk1's volumes as server 2, one snapshot name ahead: only names and logs are read.)
    other = tmp_path / "other"
    shutil.copytree(one.data, other / "data")
    shutil.copytree(os.path.join(one.dir, "datalog"), other / "datalog")
    (other / "data" / "myid").write_text("2\n")
    (other / "data" / "version-2" / f"snapshot.{last + 16:x}").write_bytes(b"")
    r = recover(one, "--data", str(other / "data"))
    assert r.returncode == 64, r.stderr  # its zoo.cfg's dataLogDir is not under it here
    assert "--data" in logfmt(r.stderr, "another server's transaction log is not under its data "
                                        "directory")[0]["hint"]
    data_arg = f"{other / 'data'}:{other / 'datalog'}"
    r = recover(one, "--data", data_arg, "--force")
    assert r.returncode == 65, r.stderr
    (v,) = logfmt(r.stderr, "recover refused")
    assert v["verdict"] == "refuse-higher-zxid" and v["node"] == "2", r.stderr
    r = recover(one, "--data", data_arg, "--i-know", "2")
    assert r.returncode == 0, r.stderr
    assert logfmt(r.stderr, "recover: dry run, nothing changed")[0]["verdict"] == "proceed"
    assert files_of(one.data) | files_of(os.path.join(one.dir, "datalog")) == before

    # --force: this server alone, why recorded.
    r = recover(one, "--force")
    assert r.returncode == 0, r.stderr
    state_dir = os.path.join(one.data, "zkinit")
    new_version = dry["new_version"]
    assert logfmt(r.stderr, "wrote the one-member dynamic config")[0]["version"] == new_version
    assert logfmt(r.stderr, "recovered: start this server now; it serves alone, and the others "
                            "rejoin it when started on fresh volumes"), r.stderr
    dyn = sorted(f for f in os.listdir(state_dir) if f.startswith("zoo.cfg.dynamic"))
    assert dyn == [f"zoo.cfg.dynamic.{new_version}"], dyn
    with open(os.path.join(state_dir, dyn[0])) as f:
        assert f.read().strip() == dry["keeps"]
    with open(os.path.join(state_dir, "membership")) as f:
        state = f.read()
    assert "status=member" in state and f"version={new_version}" in state
    assert f"note=recovered by zkinit recover: highest zxid {last:x}, quorum of version " \
           f"{old_version} (ids 1,2,3) lost" in state, state
    with open(os.path.join(state_dir, "zoo.cfg")) as f:
        assert f"dynamicConfigFile={state_dir}/{dyn[0]}\n" in f.read()

    # Restarted, zk1 serves alone with every acknowledged write.
    one.start(**opts)
    one.wait_serving(120)
    assert logfmt(one.stderr(), "start decision")[-1]["action"] == "start-with-last-committed"
    assert mode(one.ip) == "leader"
    servers, version = get_config(one.hostport)
    assert set(servers) == {1} and int(version, 16) >= int(new_version, 16)
    assert children(one.hostport) == acked

    # Now a quorum serves: recover refuses on any server of the ensemble (here the copy as 2).
    r = subprocess.run([ZKINIT, "recover"], env=two.env(ZOO_DATA_DIR=str(other / "data"),
                                                        ZOO_DATA_LOG_DIR=str(other / "datalog")),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 65, r.stderr
    (v,) = logfmt(r.stderr, "recover refused")
    assert v["verdict"] == "refuse-live-quorum" and v["node"] == "1", r.stderr

    # The wiped two start on fresh volumes and rejoin: three participants, every write on each.
    for n in (two, three):
        n.start(**opts)
    for n in (two, three):
        n.wait_serving(120)
        assert logfmt(n.stderr(), "start decision")[-1]["action"] == "join", n.zk_log()
    wait_members(nodes, {1, 2, 3}, timeout=120)
    for n in nodes:
        assert children(n.hostport) == acked, f"zk{n.id}"
        print("\n".join(line for line in n.zk_log().splitlines()
                        if re.search(r'msg="(start decision|joined the ensemble|serving)', line)))
