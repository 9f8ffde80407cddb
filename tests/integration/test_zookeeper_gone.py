"""Leave and join when a member is already gone (issue 17, real ZooKeeper 3.8, every node under
zkinit as PID 1 on 127.0.0.71-73). A member that has stopped is made to vanish the way a stopped
container's address does (iptables DROP on its loopback address: no RST, a connect just hangs),
so a client that tries it first loses its whole connect timeout. The leave must still fit in
ZOO_LEAVE_TIMEOUT, and a server that started from the seed list beside a live ensemble that does
not list it must still become a participant."""
import contextlib
import subprocess

import pytest

from conftest import wait_for
from zk_support import ZkNode, fresh_nodes, get_config, mode, wait_members

IPS = ["127.0.0.71", "127.0.0.72", "127.0.0.73"]


@contextlib.contextmanager
def vanished(*ips):
    """Packets to IPS are dropped (both ways) until the block ends."""
    rules = [r for ip in ips for r in (["OUTPUT", "-d", ip, "-j", "DROP"],
                                       ["INPUT", "-d", ip, "-j", "DROP"])]
    for r in rules:
        subprocess.run(["iptables", "-w", "-I"] + r, check=True)
    try:
        yield
    finally:
        for r in rules:
            subprocess.run(["iptables", "-w", "-D"] + r, check=False)


def seeds_of(nodes):
    return " ".join(f"server.{n.id}={n.ip}:2888:3888;{n.ip}:2181" for n in nodes)


@pytest.fixture
def trio(tmp_path):
    yield from fresh_nodes(tmp_path, IPS)


def test_two_servers_stopped_back_to_back_leave_the_third_serving_alone(trio):
    n1, n2, n3 = trio
    env = dict(ZOO_SERVERS=seeds_of(trio), ZOO_LEAVE_TIMEOUT=3)
    for n in trio:
        n.start(**env)
    wait_members(trio, [1, 2, 3], timeout=90)
    for round_no in range(5):
        assert n2.stop() == 143
        with vanished(n2.ip):
            assert n3.stop() == 143
            log3 = n3.zk_log()
            assert "could not leave" not in log3, f"round {round_no}: {log3}"
            assert "left the ensemble" in log3.split('msg="identity"')[-1]
            servers, _ = get_config(n1.hostport)
            assert sorted(servers) == [1], f"round {round_no}: {servers}"
            wait_for(n1.serving, 30, what="zk1 serving alone")
        n2.start(**env)
        n3.start(**env)
        wait_members(trio, [1, 2, 3], timeout=90)


def test_a_seed_started_server_beside_a_live_ensemble_becomes_a_participant(trio):
    """zk3 cannot see the ensemble {1,2} when it starts (a first boot from the seed list), then can:
    the start hook finds it missing from the committed config and adds it."""
    n1, n2, n3 = trio
    for n in (n1, n2):
        n.start(ZOO_SERVERS=seeds_of([n1, n2]))
    wait_members([n1, n2], [1, 2], timeout=90)
    with vanished(n1.ip, n2.ip):
        n3.start(ZOO_SERVERS=seeds_of(trio))
        wait_for(lambda: "action=seeds" in n3.zk_log() or "seed list" in n3.zk_log(), 30,
                 what="zk3 decides from the seeds")
    wait_members(trio, [1, 2, 3], timeout=90)
    assert "adding it" in n3.zk_log()
    assert mode(n3.ip) in ("follower", "leader")


def test_sigterm_while_waiting_for_an_ensemble_ends_the_start_with_143(tmp_path):
    """As PID 1 the kernel drops a SIGTERM that has no handler: zkinit blocks every signal before
    anything else, and its waits look for a pending stop (docker stop of a waiting node)."""
    n = ZkNode(tmp_path, 1, IPS[0])
    try:
        n.start(ZOO_JOIN="127.0.0.74:2181", ZOO_JOIN_TIMEOUT=300)
        wait_for(lambda: "action=wait" in n.zk_log(), 30, what="waiting for ZOO_JOIN")
        assert n.stop(timeout=30) == 143  # not after ZOO_JOIN_TIMEOUT with 69
        assert "stop signal while waiting" in n.zk_log()
    finally:
        n.kill()


def test_health_fails_when_this_nodes_address_is_gone(tmp_path):
    """After a network disconnect/connect the server line names an address this node no longer
    has: `zkinit health` says so and fails, so that the orchestrator restarts the server."""
    import subprocess as sp
    from conftest import ZKINIT, base_env
    conf, data = tmp_path / "conf", tmp_path / "data"
    conf.mkdir()
    data.mkdir()
    (data / "myid").write_text("1\n")
    dyn = data / "zoo.cfg.dynamic.100000000"
    dyn.write_text("server.1=192.0.2.1:2888:3888:participant;127.0.0.1:2181\n")
    (conf / "zoo.cfg").write_text(f"dataDir={data}\ndynamicConfigFile={dyn}\n")
    r = sp.run([ZKINIT, "health"], env=base_env(ZOO_CONF_DIR=conf), capture_output=True, text=True,
               timeout=30)
    assert r.returncode == 1
    assert "address changed" in r.stderr and "192.0.2.1" in r.stderr
