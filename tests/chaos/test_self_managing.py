"""The self-managing ensemble through the fault suite (issue 16): with ZOO_REMOVE_STALE_AFTER a
member killed for good is removed by the leader's zkinit after the settling period and the rest
keeps serving; a partitioned member that returns in time is kept; with ZOO_MAX_PARTICIPANTS=3 a
5-node ensemble has 3 voters and 2 observers, and a voter killed for good is replaced by an
observer. Real ZooKeeper nodes under `zkinit zookeeper` as PID 1 on 127.0.0.91-95."""
import os
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
sys.path.insert(0, HERE)

from chaos import Writer, lift  # noqa: E402
from conftest import wait_for  # noqa: E402
from zk_support import ZkNode, mode, try_config  # noqa: E402

IPS = [f"127.0.0.{91 + i}" for i in range(5)]


def seeds(nodes):
    return " ".join(f"server.{n.id}={n.ip}:2888:3888;{n.ip}:2181" for n in nodes)


@pytest.fixture
def nodes(tmp_path):
    made = [ZkNode(tmp_path, i + 1, ip) for i, ip in enumerate(IPS)]
    yield made
    for n in made:
        n.kill()


def config_of(live):
    """The committed config as the running nodes agree on it, or None."""
    configs = [try_config(n.hostport) for n in live]
    if any(c is None for c in configs) or any(c != configs[0] for c in configs):
        return None
    return configs[0]


def roles(cfg):
    return {i: ("participant" if ":participant;" in v else "observer") for i, v in cfg.items()}


def wait_config(live, want, timeout=120):
    """Waits until every node of LIVE reports the config whose roles are WANT(roles) -> bool."""
    return wait_for(lambda: (lambda c: c if c and want(roles(c)) else None)(config_of(live)),
                    timeout, interval=0.5, what="the expected config")


def log_lines(nodes_, text):
    return [l for n in nodes_ for l in n.stderr().splitlines() if text in l]


def start(n, members, **extra):
    env = dict(ZOO_SERVERS=seeds(members), ZOO_LEAVE_TIMEOUT=5, ZKINIT_GRACE=10)
    env.update(extra)
    n.start(**env)


def test_a_member_killed_for_good_is_removed_and_the_rest_serves(nodes):
    three = nodes[:3]
    for n in three:
        start(n, three, ZOO_REMOVE_STALE_AFTER="4s")
    wait_config(three, lambda r: r == {1: "participant", 2: "participant", 3: "participant"})
    writer = Writer(",".join(n.hostport for n in three[:2]))
    writer.start()
    try:
        leader = next(n for n in three if mode(n.ip) == "leader")
        victim = next(n for n in three if n is not leader)
        victim.kill()
        rest = [n for n in three if n is not victim]
        wait_config(rest, lambda r: set(r) == {n.id for n in rest})
        acked_at_removal = len(writer.acked)
        wait_for(lambda: len(writer.acked) > acked_at_removal + 20, 60, what="writes after it")
    finally:
        writer.halt.set()
        writer.join(timeout=15)
    removing = log_lines(nodes, "removing a stale member")
    assert removing and all(f"id={victim.id} " in l for l in removing), removing
    line = removing[0]
    assert f"decided_by={leader.id} " in line and "as=leader" in line, line
    unseen = int(line.split("unseen_ms=")[1].split()[0])
    assert unseen >= 4000, line
    assert log_lines(nodes, "removed a stale member")
    # it comes back with its old data: not a member any more, so it joins as a new one
    start(victim, three, ZOO_REMOVE_STALE_AFTER="4s")
    wait_config(three, lambda r: set(r) == {1, 2, 3} and set(r.values()) == {"participant"})
    assert any("action=join" in l for l in victim.stderr().splitlines()
               if "start decision" in l), victim.zk_log()


def test_a_partitioned_member_back_before_the_period_is_kept(nodes):
    three = nodes[:3]
    for n in three:
        start(n, three, ZOO_REMOVE_STALE_AFTER="15s")
    wait_config(three, lambda r: len(r) == 3 and set(r.values()) == {"participant"})
    leader = next(n for n in three if mode(n.ip) == "leader")
    cut = next(n for n in three if n is not leader)
    rules = [["OUTPUT", "-d", cut.ip, "-j", "DROP"], ["INPUT", "-d", cut.ip, "-j", "DROP"]]
    t0 = time.monotonic()
    for r in rules:
        subprocess.run(["iptables", "-w", "-I"] + r, check=True)
    try:
        # the leader's steward sees it gone: its sightings lose track of it
        time.sleep(6)
    finally:
        for r in rules:
            lift(r)
    wait_for(lambda: cut.serving(), 60, interval=0.2, what="the partitioned node serving again")
    # past the settling period counted from the cut, plus two rounds: a steward that did not
    # reset the sighting would have removed it by now
    time.sleep(max(0.0, t0 + 15 + 8 - time.monotonic()))
    cfg = config_of(three)
    assert cfg is not None and set(cfg) == {1, 2, 3}, cfg
    assert not log_lines(nodes, "removing a stale member")
    sightings = os.path.join(leader.data, "zkinit", "sightings")
    assert os.path.exists(sightings), "the leader's steward never ran"


def test_max_participants_keeps_three_voters_and_promotes_an_observer(nodes):
    three = nodes[:3]
    extra = dict(ZOO_MAX_PARTICIPANTS=3, ZOO_REMOVE_STALE_AFTER="4s")
    for n in three:
        start(n, three, **extra)
    wait_config(three, lambda r: len(r) == 3)
    for n in nodes[3:]:
        start(n, three, **extra)
        wait_config([x for x in nodes if x.running()], lambda r, k=n.id: k in r)
    cfg = wait_config(nodes, lambda r: len(r) == 5)
    assert sorted(roles(cfg).values()) == ["observer"] * 2 + ["participant"] * 3, cfg
    assert roles(cfg)[4] == roles(cfg)[5] == "observer", cfg
    assert log_lines(nodes[3:], "ZOO_MAX_PARTICIPANTS voters already")
    decisions = log_lines(nodes[3:], "start decision")
    assert decisions and all("max_participants=3 " in l for l in decisions), decisions
    # a voter killed for good: removed, and an observer takes its place
    voter = next(n for n in three if mode(n.ip) == "follower")
    voter.kill()
    rest = [n for n in nodes if n is not voter]
    cfg = wait_config(rest, lambda r: voter.id not in r and
                      list(r.values()).count("participant") == 3)
    promoted = [i for i in (4, 5) if roles(cfg)[i] == "participant"]
    assert len(promoted) == 1, cfg
    assert log_lines(nodes, "promoting an observer")
    # the ensemble serves writes with its new voters
    writer = Writer(",".join(n.hostport for n in rest))
    writer.start()
    try:
        wait_for(lambda: len(writer.acked) > 20, 60, what="writes")
    finally:
        writer.halt.set()
        writer.join(timeout=15)
