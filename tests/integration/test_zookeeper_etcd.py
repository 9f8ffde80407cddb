"""The zookeeper role with etcd registrations (real etcd 3.4 and ZooKeeper 3.8, every node under
zkinit as PID 1): ids are allocated by etcd, the lowest registered id bootstraps a one-member
ensemble, the others find it through their registrations and join; a restart keeps the id."""
import pytest

from conftest import wait_for
from etcd_support import etcd_server  # noqa: F401  (module-scoped fixture)
from zk_support import ZkNode, ensemble, get_config, mode, wait_members

IPS = ["127.0.0.33", "127.0.0.34", "127.0.0.35"]


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    yield from ensemble(tmp_path_factory, "zk-etcd", IPS)


def test_lowest_id_bootstraps_the_others_join_through_etcd(nodes, etcd_server):
    env = dict(MYID=None, ETCD_ENDPOINTS=etcd_server.url, ETCD_PREFIX="/zk-etcd-test")
    a, b, c = nodes
    a.start(**env)
    a.wait_serving()
    assert "source=etcd" in a.zk_log() and "one-member ensemble" in a.zk_log()
    b.start(**env)
    c.start(**env)
    servers = wait_members(nodes, [1, 2, 3])
    assert servers[1].startswith("127.0.0.33:")
    assert {servers[2].split(":")[0], servers[3].split(":")[0]} == {"127.0.0.34", "127.0.0.35"}
    for n in (b, c):
        wait_for(lambda n=n: "joined the ensemble" in n.zk_log(), 30, what="join logged")
    assert sorted(mode(n.ip) for n in nodes) == ["follower", "follower", "leader"]
    assert etcd_server.nodes("/zk-etcd-test") == {"127.0.0.33": 1, servers[2].split(":")[0]: 2,
                                                   servers[3].split(":")[0]: 3}


def test_restart_keeps_its_etcd_id_and_rejoins(nodes, etcd_server):
    env = dict(MYID=None, ETCD_ENDPOINTS=etcd_server.url, ETCD_PREFIX="/zk-etcd-test")
    a = nodes[0]
    a.stop()
    servers, _ = get_config(",".join(n.hostport for n in nodes[1:]))
    assert 1 not in servers
    a.start(**env)
    wait_members(nodes, [1, 2, 3])
    assert "id=1 " in a.zk_log().split("identity")[-1]
    wait_for(lambda: "joined the ensemble" in a.zk_log().split("identity")[-1], 30,
             what="rejoin logged")


def test_three_concurrent_first_starts_form_one_ensemble(nodes, etcd_server, tmp_path):
    """No ensemble, no ids yet, all three start at once: only the lowest id bootstraps."""
    for n in nodes:
        n.kill()
    fresh = [ZkNode(tmp_path, i + 1, ip, name=f"c{i + 1}") for i, ip in enumerate(IPS)]
    env = dict(MYID=None, ETCD_ENDPOINTS=etcd_server.url, ETCD_PREFIX="/zk-etcd-concurrent")
    try:
        for n in fresh:
            n.start(**env)
        wait_members(fresh, [1, 2, 3], timeout=90)
        for n in fresh:
            n.wait_serving()
        logs = [n.zk_log() for n in fresh]
        assert sum("one-member ensemble" in log for log in logs) == 1
        assert sum("joined the ensemble" in log for log in logs) == 2
    finally:
        for n in fresh:
            n.kill()
