"""Benchmark: the leave when a member is already gone (loopback 127.0.0.36-38, real ZooKeeper 3.8,
every node under zkinit as PID 1, tickTime=200). Side by side in one run: zk3's stop (SIGTERM ->
zkinit exited, its leave confirmed) right after zk2 stopped, with zk2's address still answering
(connection refused) and with zk2's address gone from the network (iptables DROP: a connect hangs,
as a stopped container's address does). Prints a Markdown table: median and max of the leave
(zkinit's own `left the ensemble ms=`) and of the whole stop, and the leaves that missed
ZOO_LEAVE_TIMEOUT. ZK_BENCH_ROUNDS sets the rounds (default 5)."""
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))

from zk_support import ZkNode, wait_members  # noqa: E402

IPS = ["127.0.0.36", "127.0.0.37", "127.0.0.38"]
ROUNDS = int(os.environ.get("ZK_BENCH_ROUNDS", "5"))


def seeds():
    return " ".join(f"server.{i + 1}={ip}:2888:3888;{ip}:2181" for i, ip in enumerate(IPS))


def iptables(op, ip):
    for chain in ("OUTPUT", "INPUT"):
        subprocess.run(["iptables", "-w", op, chain, "-d", ip, "-j", "DROP"], check=op == "-I")


def one_round(nodes, dead):
    n1, n2, n3 = nodes
    n2.stop()
    if dead:
        iptables("-I", n2.ip)
    try:
        t = time.monotonic()
        n3.stop()
        total = (time.monotonic() - t) * 1000
        log = n3.zk_log().split('msg="identity"')[-1]
    finally:
        if dead:
            iptables("-D", n2.ip)
    m = re.search(r'msg="left the ensemble" .* ms=(\d+)', log)
    if not m:
        print("leave not confirmed:", log[-1500:], file=sys.stderr)
    for n in (n2, n3):
        n.start(ZOO_SERVERS=seeds())
    wait_members(nodes, [1, 2, 3], timeout=90)
    return (int(m.group(1)) if m else None), total


def main():
    logging.basicConfig(level=logging.ERROR)
    tmp = tempfile.mkdtemp(prefix="zkinit-bench-leave-")
    nodes = [ZkNode(tmp, i + 1, ip) for i, ip in enumerate(IPS)]
    rows = {}
    try:
        for n in nodes:
            n.start(ZOO_SERVERS=seeds())
        wait_members(nodes, [1, 2, 3], timeout=90)
        for dead in (False, True):
            leaves, stops, missed = [], [], 0
            for _ in range(ROUNDS):
                leave, total = one_round(nodes, dead)
                stops.append(total)
                if leave is None:
                    missed += 1
                else:
                    leaves.append(leave)
            rows[dead] = (leaves, stops, missed)
    finally:
        for n in nodes:
            n.kill()
    print(f"\n### The leave with a member already gone (3 nodes, loopback, {ROUNDS} rounds each)\n")
    print("| zk2 (stopped just before) | leave median | leave max | stop median | stop max | "
          "missed ZOO_LEAVE_TIMEOUT |")
    print("|---|---|---|---|---|---|")
    for dead, label in ((False, "refuses connections"), (True, "gone from the network")):
        leaves, stops, missed = rows[dead]
        med = f"{statistics.median(leaves):.0f} ms" if leaves else "-"
        mx = f"{max(leaves):.0f} ms" if leaves else "-"
        print(f"| {label} | {med} | {mx} | {statistics.median(stops):.0f} ms | "
              f"{max(stops):.0f} ms | {missed} of {ROUNDS} |")
    a, b = rows[False][0], rows[True][0]
    if a and b:
        print(f"\nratio gone/refusing (median leave): {statistics.median(b) / statistics.median(a):.2f}")


if __name__ == "__main__":
    main()
