"""Benchmark of the zookeeper role's dynamic membership on loopback (127.0.0.36-38), real ZooKeeper
3.8 (Debian), every node under zkinit as PID 1 (unshare), tickTime=200, -Xmx128m:

1. SIGTERM -> this server gone from the committed config (seen by a watcher on another server),
   compared with the cost of the reconfig itself (a client removing the same follower directly).
2. Local server synced -> participant (the join hook's reconfig -add, from zkinit's log).
3. Client-visible write unavailability during a rolling restart of the 3 nodes: zkinit with
   leave/join (ZOO_RECONFIG=on) versus the official image's static ensemble (ZOO_RECONFIG=off),
   same JVM and settings otherwise. Unavailability = sum of the gaps between acknowledged
   sequential creates that are longer than 100 ms.

Prints Markdown tables. ZKINIT_BIN names the binary; ZK_BENCH_ROUNDS the repetitions (default 5)."""
import logging
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))

from kazoo.client import KazooClient  # noqa: E402
from kazoo.exceptions import KazooException  # noqa: E402

from zk_support import ZkNode, hosts_of, mode, wait_members  # noqa: E402

IPS = ["127.0.0.36", "127.0.0.37", "127.0.0.38"]
ROUNDS = int(os.environ.get("ZK_BENCH_ROUNDS", "5"))
GAP_MS = 100


def servers_var():
    return " ".join(f"server.{i + 1}={ip}:2888:3888;{ip}:2181" for i, ip in enumerate(IPS))


def start_all(nodes, **env):
    for n in nodes:
        n.start(ZOO_SERVERS=servers_var(), **env)
    for n in nodes:
        n.wait_serving(timeout=90)


def follower(nodes):
    return next(n for n in nodes if mode(n.ip) == "follower")


def ids_of(data):
    return {int(l.split("=")[0][7:]) for l in data.decode().split("\n") if l.startswith("server.")}


def time_until_gone(nodes, node):
    """SIGTERM to NODE's zkinit -> a watch on another server sees NODE's id leave the config."""
    other = next(n for n in nodes if n is not node)
    zk = KazooClient(hosts=other.hostport, timeout=10)
    zk.start(timeout=15)
    gone = threading.Event()
    t_gone = []

    def watch(data, _stat):
        if data is not None and node.id not in ids_of(data) and not gone.is_set():
            t_gone.append(time.monotonic())
            gone.set()
        return not gone.is_set()
    zk.DataWatch("/zookeeper/config", watch)
    t0 = time.monotonic()
    os.kill(node.pid1, signal.SIGTERM)
    gone.wait(30)
    node.proc.wait(60)
    zk.stop()
    zk.close()
    return (t_gone[0] - t0) * 1000 if t_gone else float("nan")


def time_direct_reconfig(nodes, node):
    """The reconfig's own cost: a client removes NODE and adds it back (remove timed)."""
    other = next(n for n in nodes if n is not node)
    zk = KazooClient(hosts=other.hostport, timeout=10)
    zk.start(timeout=15)
    data, _ = zk.get("/zookeeper/config")
    line = next(l for l in data.decode().split("\n") if l.startswith(f"server.{node.id}="))
    t0 = time.monotonic()
    zk.reconfig(joining=None, leaving=str(node.id), new_members=None)
    dt = (time.monotonic() - t0) * 1000
    for _ in range(50):
        try:
            zk.reconfig(joining=line, leaving=None, new_members=None)
            break
        except KazooException:
            time.sleep(0.1)
    zk.stop()
    zk.close()
    return dt


def join_times(node):
    """(synced -> participant ms, hook total ms) from the last start's log."""
    log = node.zk_log().split('msg="identity"')[-1]
    synced = re.search(r'adding it to the ensemble".* ms=(\d+)', log)
    joined = re.search(r'joined the ensemble".* ms=(\d+)', log)
    if not synced or not joined:
        return None
    return int(joined.group(1)) - int(synced.group(1)), int(joined.group(1))


def restart(nodes, node, **env):
    node.start(ZOO_SERVERS=servers_var(), **env)
    wait_members(nodes, [n.id for n in nodes], timeout=90)
    node.wait_serving(timeout=90)


def membership_rounds(tmp):
    nodes = [ZkNode(tmp, i + 1, ip, name=f"m{i + 1}") for i, ip in enumerate(IPS)]
    res = {"leave": [], "direct": [], "join": [], "hook": []}
    try:
        start_all(nodes)
        wait_members(nodes, [1, 2, 3], timeout=90)
        for _ in range(ROUNDS):
            n = follower(nodes)
            res["direct"].append(time_direct_reconfig(nodes, n))
            wait_members(nodes, [1, 2, 3], timeout=90)
            n = follower(nodes)
            res["leave"].append(time_until_gone(nodes, n))
            restart(nodes, n)
            jt = join_times(n)
            if jt:
                res["join"].append(jt[0])
                res["hook"].append(jt[1])
    finally:
        for n in nodes:
            n.kill()
    return res


def rolling_unavailability(tmp, reconfig):
    name = "on" if reconfig else "off"
    nodes = [ZkNode(tmp, i + 1, ip, name=f"r{name}{i + 1}") for i, ip in enumerate(IPS)]
    env = {"ZOO_RECONFIG": "on" if reconfig else "off"}
    acks, stop = [], threading.Event()
    try:
        start_all(nodes, **env)
        if reconfig:
            wait_members(nodes, [1, 2, 3], timeout=90)
        zk = KazooClient(hosts=hosts_of(nodes), timeout=4)
        zk.start(timeout=15)
        zk.ensure_path("/bench")

        def writer():
            while not stop.is_set():
                try:
                    zk.create("/bench/n-", b"x", sequence=True)
                    acks.append(time.monotonic())
                except KazooException:
                    time.sleep(0.005)
        t = threading.Thread(target=writer, daemon=True)
        t.start()
        time.sleep(1)
        t0 = time.monotonic()
        for n in nodes:
            n.stop()
            if reconfig:
                restart(nodes, n, **env)
            else:
                n.start(ZOO_SERVERS=servers_var(), **env)
                n.wait_serving(timeout=90)
                time.sleep(0.5)
        time.sleep(1)
        stop.set()
        t.join(30)
        zk.stop()
        zk.close()
        t1 = time.monotonic()
    finally:
        for n in nodes:
            n.kill()
    window = [a for a in acks if t0 <= a <= t1]
    gaps = [(b - a) * 1000 for a, b in zip(window, window[1:])]
    long_gaps = [g for g in gaps if g > GAP_MS]
    return sum(long_gaps), max(gaps or [0]), len(window), (t1 - t0)


def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def main():
    logging.getLogger("kazoo").setLevel(logging.CRITICAL)  # its reconnect chatter on stderr
    tmp = tempfile.mkdtemp(prefix="zkbench-")
    os.chmod(tmp, 0o755)
    try:
        report(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(tmp):
    res = membership_rounds(tmp)
    print("\n### ZooKeeper membership (3 nodes, loopback, tickTime=200, median of %d)\n" % ROUNDS)
    print("| measure | median ms | min | max |")
    print("|---|---:|---:|---:|")
    for key, label in [("direct", "reconfig -remove by a client (ZooKeeper's own cost)"),
                       ("leave", "SIGTERM -> gone from the committed config (zkinit leave hook)"),
                       ("join", "local server synced -> participant (reconfig -add)"),
                       ("hook", "JVM start -> participant (whole join hook)")]:
        xs = [x for x in res[key] if x == x]
        if xs:
            print(f"| {label} | {med(xs):.0f} | {min(xs):.0f} | {max(xs):.0f} |")
    over = med(res["leave"]) - med(res["direct"])
    print(f"\nLeave overhead beyond the reconfig itself: {over:.0f} ms (goal: < 100 ms).")
    rows = []
    for reconfig in (True, False):
        rounds = [rolling_unavailability(tmp, reconfig) for _ in range(max(1, ROUNDS // 2))]
        rows.append((reconfig, rounds))
    print("\n### Write unavailability during a rolling restart of 3 nodes\n")
    print("| mode | unavailable ms (sum of gaps > 100 ms), median | longest gap ms | acked writes |")
    print("|---|---:|---:|---:|")
    meds = {}
    for reconfig, rounds in rows:
        label = ("zkinit leave/join (ZOO_RECONFIG=on)" if reconfig
                 else "static (ZOO_RECONFIG=off, official image)")
        meds[reconfig] = med([r[0] for r in rounds])
        print(f"| {label} | {meds[reconfig]:.0f} | {med([r[1] for r in rounds]):.0f} | "
              f"{med([r[2] for r in rounds]):.0f} |")
    if meds[False] > 0:
        print(f"\nRatio leave/join : static = {meds[True] / meds[False]:.2f}")


if __name__ == "__main__":
    main()
