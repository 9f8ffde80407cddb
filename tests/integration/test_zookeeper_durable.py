"""Durable membership (issue 9's three reproductions, real ZooKeeper 3.8, every node under zkinit as
PID 1 on 127.0.0.81-83): a whole ensemble stopped one node at a time and started again in the worst
order keeps the write that only the last node holds, in ZOO_SERVERS mode and in etcd mode; a member
that comes back on an empty data directory under its old id never votes before it has synced, so a
stale member cannot win an election and truncate the others. Every check reads what an operator
reads: the members of the committed config, each node's own copy of the data, the start log."""
import os
import shutil
import socket

import pytest
from kazoo.client import KazooClient

from conftest import wait_for
from etcd_support import etcd_server  # noqa: F401  (module-scoped fixture)
from zk_support import fresh_nodes, hosts_of, mode, wait_members

IPS = ["127.0.0.81", "127.0.0.82", "127.0.0.83"]


def seeds_of(nodes):
    return " ".join(f"server.{n.id}={n.ip}:2888:3888;{n.ip}:2181" for n in nodes)


def write(hosts, path, value=b"acked"):
    zk = KazooClient(hosts=hosts, timeout=10)
    zk.start(timeout=15)
    try:
        zk.create(path, value, makepath=True)  # returns only once acknowledged
    finally:
        zk.stop()
        zk.close()


def read_local(node, path):
    """PATH's data as NODE itself has it (one host, after a sync), or None when absent."""
    zk = KazooClient(hosts=node.hostport, timeout=10, read_only=False)
    zk.start(timeout=15)
    try:
        zk.sync(path)
        return zk.get(path)[0] if zk.exists(path) else None
    finally:
        zk.stop()
        zk.close()


def election_port_open(ip):
    try:
        socket.create_connection((ip, 3888), timeout=1).close()
        return True
    except OSError:
        return False


def leaders(nodes):
    return [n for n in nodes if mode(n.ip) == "leader"]


def decisions(node):
    return [l for l in node.zk_log().splitlines() if 'msg="start decision"' in l]


@pytest.fixture
def trio(tmp_path):
    yield from fresh_nodes(tmp_path, IPS)


def stop_one_by_one_then_cold_start(nodes, env_of):
    """Stop 1 (leaves), 2 (leaves), write on 3 alone, stop 3; start 1 and 2 first, then 3."""
    n1, n2, n3 = nodes
    n1.stop()
    wait_members([n2, n3], [2, 3])
    n2.stop()
    wait_members([n3], [3])
    write(n3.hostport, "/acked-by-last")
    n3.stop()
    n1.start(**env_of(n1))
    n2.start(**env_of(n2))
    for n in (n1, n2):  # they left: they wait for a live ensemble instead of forming one
        wait_for(lambda n=n: n.serving() or any("action=wait" in l and "left the ensemble" in l
                                                for l in decisions(n)), 60, what=f"zk{n.id}")
    assert not n1.serving() and not n2.serving(), "the servers that left formed an ensemble"
    n3.start(**env_of(n3))
    wait_members(nodes, [1, 2, 3], timeout=90)
    for n in nodes:
        n.wait_serving()
        assert read_local(n, "/acked-by-last") == b"acked", f"zk{n.id} lost the write"
    assert len(leaders(nodes)) == 1
    assert any("action=start-with-last-committed" in l for l in decisions(n3))


def test_seed_mode_cold_start_in_the_worst_order_keeps_the_last_write(trio):
    env_of = lambda n: dict(ZOO_SERVERS=seeds_of(trio))  # noqa: E731
    for n in trio:
        n.start(**env_of(n))
    wait_members(trio, [1, 2, 3], timeout=90)
    first_boot = [decisions(n) for n in trio]
    stop_one_by_one_then_cold_start(trio, env_of)
    assert all(d and "action=seeds" in d[0] for d in first_boot)


def test_etcd_mode_cold_start_in_the_worst_order_keeps_the_last_write(trio, etcd_server):
    prefix = "/zk-durable-cold"
    env_of = lambda n: dict(MYID=None, ETCD_ENDPOINTS=etcd_server.url, ETCD_PREFIX=prefix)  # noqa
    for n in trio:
        n.start(**env_of(n))
        n.wait_serving()
    wait_members(trio, [1, 2, 3], timeout=90)
    stop_one_by_one_then_cold_start(trio, env_of)
    assert "version=" in etcd_server.get(prefix + "/ensemble/config")


def test_member_on_a_fresh_volume_never_votes_before_it_has_synced(trio, etcd_server):
    """1 crashes (still listed), a write is acknowledged by 2 and 3, 3 crashes, 2 comes back on an
    empty data directory beside stale 1: no ensemble may form without 3; when 3 returns, 2
    rejoins as a new member and every node has the write."""
    prefix = "/zk-durable-fresh"
    env_of = lambda n: dict(MYID=None, ETCD_ENDPOINTS=etcd_server.url, ETCD_PREFIX=prefix)  # noqa
    n1, n2, n3 = trio
    for n in trio:
        n.start(**env_of(n))
        n.wait_serving()
    wait_members(trio, [1, 2, 3], timeout=90)
    wait_for(lambda: all(mode(n.ip) in ("leader", "follower") for n in trio), 30, what="voters")
    n1.kill()
    write(hosts_of([n2, n3]), "/acked-without-1")
    n3.kill()
    n2.kill()
    shutil.rmtree(n2.data)  # a new container on new volumes
    shutil.rmtree(os.path.join(n2.dir, "datalog"))
    n1.start(**env_of(n1))
    n2.start(**env_of(n2))
    wait_for(lambda: n1.serving() or any("action=wait" in l and "empty" in l
                                         for l in decisions(n2)), 60, what="zk2")
    assert not n1.serving() and not n2.serving(), "stale zk1 and empty zk2 formed an ensemble"
    n3.start(**env_of(n3))
    wait_members(trio, [1, 2, 3], timeout=120)
    for n in trio:
        n.wait_serving()
        assert read_local(n, "/acked-without-1") == b"acked", f"zk{n.id} lost the write"
    assert any("action=rejoin" in l for l in decisions(n2))
    assert len(leaders(trio)) == 1


@pytest.fixture
def other_trio(tmp_path):
    yield from fresh_nodes(tmp_path, ["127.0.0.84", "127.0.0.85", "127.0.0.86"])


def test_seed_mode_member_on_a_fresh_volume_never_votes_before_it_has_synced(other_trio):
    """Issue 9's third reproduction with ZOO_SERVERS only (no etcd record): the fresh node asks
    the seed servers' election ports, learns that stale zk1 has been part of a formed ensemble,
    and waits instead of forming one with it."""
    trio = other_trio
    env = dict(ZOO_SERVERS=seeds_of(trio))
    n1, n2, n3 = trio
    for n in trio:
        n.start(**env)
    wait_members(trio, [1, 2, 3], timeout=90)
    wait_for(lambda: all(mode(n.ip) in ("leader", "follower") for n in trio), 30,
             what="voters")
    n1.kill()
    write(hosts_of([n2, n3]), "/acked-without-1")
    n3.kill()
    n2.kill()
    shutil.rmtree(n2.data)
    shutil.rmtree(os.path.join(n2.dir, "datalog"))
    n1.start(**env)
    wait_for(lambda: election_port_open(n1.ip), 60, what="zk1 electing")
    n2.start(**env)
    wait_for(lambda: n1.serving() or any("action=wait" in l and "not a first boot" in l
                                         for l in decisions(n2)), 60, what="zk2")
    assert not n1.serving() and not n2.serving(), "stale zk1 and empty zk2 formed an ensemble"
    n3.start(**env)
    wait_members(trio, [1, 2, 3], timeout=120)
    for n in trio:
        n.wait_serving()
        assert read_local(n, "/acked-without-1") == b"acked", f"zk{n.id} lost the write"
    assert any("action=rejoin" in l for l in decisions(n2))


@pytest.fixture
def etcd_trio(tmp_path):
    yield from fresh_nodes(tmp_path, ["127.0.0.87", "127.0.0.88", "127.0.0.89"])


def test_restart_with_etcd_down_starts_from_local_state(etcd_trio, etcd_server):
    """Issue 14: a restart that has no ZOO_SERVERS/ZOO_JOIN but a data directory that knows the
    ensemble comes up while etcd is unreachable (id from its myid file, the super password it got
    from etcd before, the ensemble from its own state) and says that etcd was unreachable."""
    prefix = "/zk-durable-etcd-down"
    env = dict(MYID=None, ETCD_ENDPOINTS=etcd_server.url, ETCD_PREFIX=prefix, ETCD_TIMEOUT=2)
    for n in etcd_trio:
        n.start(**env)
        n.wait_serving()
    wait_members(etcd_trio, [1, 2, 3], timeout=90)
    n3 = etcd_trio[2]
    n3.kill()
    etcd_server.stop()
    try:
        n3.start(**env)
        n3.wait_serving(timeout=90)
        wait_members(etcd_trio, [1, 2, 3], timeout=60)
        log = n3.zk_log()
        assert "myid-file:etcd-unreachable" in log
        assert "etcd is unreachable" in log
    finally:
        etcd_server.start()
