"""The fault-injection suite: a real ZooKeeper ensemble (3 or 5 nodes, Debian's 3.8, each node
`zkinit zookeeper` as PID 1 on 127.0.0.101-105) with a writer that records every acknowledged
write, driven through a seeded random sequence of operations: SIGTERM stop and start, SIGKILL and
start, two nodes down at once, every node stopped one by one then a cold start in random order, a
node restarted on wiped volumes, a node's traffic cut for a while (iptables DROP on its address).
After every step: at most one leader, the running nodes agree on one config once settled, every
stop ended within ZOO_LEAVE_TIMEOUT + the grace period. At the end: no acknowledged write is
missing on any node.

    python3 tests/chaos/chaos.py --nodes 3 --steps 20 --seed 1234   (what `make chaos` runs)

A failing seed is replayed with the same --seed and --nodes; fixed regression seeds live in
test_chaos.py."""
import argparse
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))

from kazoo.client import KazooClient  # noqa: E402
from kazoo.retry import KazooRetry  # noqa: E402

from zk_support import ZkNode, four_letter, mode, try_config  # noqa: E402

LEAVE_TIMEOUT = 5
GRACE = 10
STUCK_S = 90  # a liveness probe's patience (see restart_stuck)
OPS = ("term", "kill", "two_down", "cold", "wipe", "partition")


class Writer(threading.Thread):
    """Creates /chaos/w-N for N = 0, 1, ... and records each N whose create was acknowledged."""

    def __init__(self, hosts):
        super().__init__(daemon=True)
        self.hosts = hosts
        self.acked = []
        self.failed = 0
        self.halt = threading.Event()

    def run(self):
        n = 0
        zk = None
        while not self.halt.is_set():
            try:
                if zk is None:
                    zk = KazooClient(hosts=self.hosts, timeout=4,
                                     connection_retry=KazooRetry(max_tries=-1, max_delay=1))
                    zk.start(timeout=5)
                    zk.ensure_path("/chaos")
                zk.create(f"/chaos/w-{n:07d}", b"%d" % n)
                self.acked.append(n)
                n += 1
            except Exception as e:  # pylint: disable=broad-except
                self.failed += 1
                if "NodeExists" in type(e).__name__:  # acknowledged before the connection broke
                    self.acked.append(n)
                    n += 1
                elif zk is not None and not zk.connected:
                    try:
                        zk.stop()
                        zk.close()
                    except Exception:  # pylint: disable=broad-except
                        pass
                    zk = None
                time.sleep(0.1)
            time.sleep(0.02)
        if zk is not None:
            try:
                zk.stop()
                zk.close()
            except Exception:  # pylint: disable=broad-except
                pass


class Violation(AssertionError):
    pass


def lift(rule):
    """Deletes an iptables rule this suite inserted; a rule left behind would look like a node
    that never comes back, so failing to delete it is an error of the suite, said as such."""
    for _ in range(10):
        if subprocess.run(["iptables", "-w", "-D"] + rule, capture_output=True).returncode == 0:
            return
        if subprocess.run(["iptables", "-w", "-C"] + rule, capture_output=True).returncode != 0:
            return  # not there (any more)
        time.sleep(0.2)
    raise RuntimeError(f"chaos: cannot delete iptables rule {rule}")


class Chaos:
    def __init__(self, tmp, nodes, seed, log=print):
        self.rng = random.Random(seed)
        self.seed = seed
        self.log = log
        ips = [f"127.0.0.{101 + i}" for i in range(nodes)]
        self.nodes = [ZkNode(tmp, i + 1, ip) for i, ip in enumerate(ips)]
        self.seeds = " ".join(f"server.{n.id}={n.ip}:2888:3888;{n.ip}:2181" for n in self.nodes)
        self.cut = set()
        self.writer = None
        self.split_brain = 0
        self.slow_stops = []
        self.health_restarts = []

    # -- nodes ------------------------------------------------------------------------------
    def start(self, n):
        # initLimit 5 s and syncLimit 2 s (tickTime 200 ms): the official image's defaults are
        # 10 s and 4 s; 1 s and 0.4 s drop followers on a loaded two-core machine
        n.start(ZOO_SERVERS=self.seeds, ZOO_LEAVE_TIMEOUT=LEAVE_TIMEOUT, ZKINIT_GRACE=GRACE,
                ZOO_JOIN_TIMEOUT=300, ZOO_INIT_LIMIT=25, ZOO_SYNC_LIMIT=10)

    def stop(self, n):
        t = time.monotonic()
        rc = n.stop(timeout=LEAVE_TIMEOUT + GRACE + 30)
        took = time.monotonic() - t
        if took > LEAVE_TIMEOUT + GRACE + 2:
            self.slow_stops.append((n.id, round(took, 1)))
        return rc

    def kill(self, n):
        n.kill()

    def running(self):
        return [n for n in self.nodes if n.running()]

    # -- checks -----------------------------------------------------------------------------
    def leaders(self):
        return [n.id for n in self.nodes if n.running() and mode(n.ip) == "leader"]

    def check_one_leader(self):
        lead = self.leaders()
        if len(lead) > 1:
            time.sleep(3.0)  # a deposed leader steps down within syncLimit ticks (2 s)
            lead = self.leaders()
            if len(lead) > 1:
                self.split_brain += 1
                raise Violation(f"seed {self.seed}: two leaders at once: {lead}")

    def settled(self):
        """All running nodes serve and report one config listing exactly them as participants."""
        up = self.running()
        configs = []
        for n in up:
            if mode(n.ip) not in ("leader", "follower"):
                return False
            c = try_config(n.hostport)
            if c is None:
                return False
            configs.append(c)
        if not configs or any(c != configs[0] for c in configs):
            return False
        ids = {n.id for n in up}
        return set(configs[0]) == ids and all(":participant;" in v for v in configs[0].values())

    def settle(self, what, timeout=240):
        deadline = time.monotonic() + timeout
        stuck_since = {}
        while time.monotonic() < deadline:
            self.check_one_leader()
            if self.settled():
                return
            self.restart_stuck(what, stuck_since)
            time.sleep(0.5)
        raise Violation(f"seed {self.seed}: never settled after {what}: running="
                        f"{[n.id for n in self.running()]} modes="
                        f"{[(n.id, mode(n.ip)) for n in self.nodes]}\n{self.diagnose()}")

    def restart_stuck(self, what, stuck_since):
        """What an orchestrator's liveness probe does: a node that has not served for STUCK_S
        while every other running node serves is restarted (SIGTERM, then a new start on the same
        volumes), once per step. Durability is what this suite asserts; a ZooKeeper that does not
        come back by itself is recorded, with what its logs said, and counted in the verdict."""
        now = time.monotonic()
        up = self.running()
        serving = {n.id for n in up if mode(n.ip) in ("leader", "follower")}
        for n in up:
            if n.id in serving:
                stuck_since.pop(n.id, None)
                continue
            since = stuck_since.setdefault(n.id, now)
            others = {x.id for x in up if x is not n}
            if since and now - since >= STUCK_S and others <= serving:
                stuck_since[n.id] = 0  # once per step
                self.health_restarts.append((n.id, what))
                self.log(f"chaos: seed={self.seed}: zk{n.id} has not served for {STUCK_S}s after "
                         f"{what}; restarting it as a liveness probe would\n{self.diagnose()}")
                self.stop(n)
                self.start(n)

    def diagnose(self):
        """What an operator would look at: the DROP rules left, each node's srvr answer and the
        tails of its zkinit and ZooKeeper logs."""
        out = subprocess.run(["iptables", "-w", "-S"], capture_output=True, text=True).stdout
        lines = ["iptables DROP rules: " + (" | ".join(l for l in out.splitlines() if "DROP" in l)
                                           or "none")]
        for n in self.nodes:
            lines.append(f"--- zk{n.id} srvr: {four_letter(n.ip, 'srvr')!r}")
            lines += [f"zkinit{n.id}: {l}" for l in n.stderr().splitlines()[-12:]]
            zk = n.proc.stdout().splitlines() if n.proc else []  # ZooKeeper logs to stdout
            warn = [l for l in zk if " WARN " in l or " ERROR " in l]
            lines += [f"zk{n.id}: {l}" for l in warn[-20:] + ["..."] + zk[-15:]]
        return "\n".join(lines)

    # -- operations -------------------------------------------------------------------------
    def op_term(self):
        n = self.rng.choice(self.running())
        self.stop(n)
        time.sleep(self.rng.uniform(0, 2))
        self.start(n)
        return f"term+start zk{n.id}"

    def op_kill(self):
        n = self.rng.choice(self.running())
        self.kill(n)
        time.sleep(self.rng.uniform(0, 3))
        self.start(n)
        return f"kill+start zk{n.id}"

    def op_two_down(self):
        a, b = self.rng.sample(self.running(), 2)
        how = self.rng.choice(("term", "kill"))
        if how == "term":
            ts = [threading.Thread(target=self.stop, args=(x,)) for x in (a, b)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        else:
            self.kill(a)
            self.kill(b)
        time.sleep(self.rng.uniform(0, 3))
        for x in self.rng.sample([a, b], 2):
            self.start(x)
        return f"two down ({how}) zk{a.id} zk{b.id}"

    def op_cold(self):
        order = self.rng.sample(self.nodes, len(self.nodes))
        for n in order:
            self.stop(n)
        time.sleep(self.rng.uniform(0, 2))
        again = self.rng.sample(self.nodes, len(self.nodes))
        for n in again:
            self.start(n)
            time.sleep(self.rng.uniform(0, 1.5))
        return f"cold: stop {[n.id for n in order]} start {[n.id for n in again]}"

    def op_wipe(self):
        n = self.rng.choice(self.running())
        self.kill(n)
        shutil.rmtree(n.data, ignore_errors=True)
        shutil.rmtree(os.path.join(n.dir, "datalog"), ignore_errors=True)
        self.start(n)
        return f"wipe zk{n.id}"

    def op_partition(self):
        n = self.rng.choice(self.running())
        secs = self.rng.uniform(3, 8)
        rules = [["OUTPUT", "-d", n.ip, "-j", "DROP"], ["INPUT", "-d", n.ip, "-j", "DROP"]]
        for r in rules:
            subprocess.run(["iptables", "-w", "-I"] + r, check=True)
        try:
            deadline = time.monotonic() + secs
            while time.monotonic() < deadline:
                self.check_one_leader()
                time.sleep(0.5)
        finally:
            for r in rules:
                lift(r)
        return f"partition zk{n.id} for {secs:.1f}s"

    # -- the run ----------------------------------------------------------------------------
    def run(self, steps):
        self.log(f"chaos: seed={self.seed} nodes={len(self.nodes)} steps={steps}")
        for n in self.nodes:
            self.start(n)
        self.settle("first boot")
        hosts = ",".join(n.hostport for n in self.nodes)
        self.writer = Writer(hosts)
        self.writer.start()
        try:
            for i in range(steps):
                op = self.rng.choice(OPS)
                what = getattr(self, "op_" + op)()
                self.settle(what)
                self.log(f"chaos: step {i + 1}/{steps} seed={self.seed}: {what}: settled, "
                         f"acked={len(self.writer.acked)}")
            time.sleep(1)
        finally:
            self.writer.halt.set()
            self.writer.join(timeout=15)
        return self.verify()

    def verify(self):
        acked = list(self.writer.acked)
        missing = {}
        for n in self.nodes:
            zk = KazooClient(hosts=n.hostport, timeout=10)
            zk.start(timeout=20)
            try:
                zk.sync("/chaos")
                have = {int(c[2:]) for c in zk.get_children("/chaos")}
            finally:
                zk.stop()
                zk.close()
            lost = [a for a in acked if a not in have]
            if lost:
                missing[n.id] = lost[:10]
        self.log(f"chaos: seed={self.seed} acked={len(acked)} lost={sum(map(len, missing.values()))}"
                 f" split_brain={self.split_brain} slow_stops={self.slow_stops}"
                 f" health_restarts={self.health_restarts}")
        if missing:
            raise Violation(f"seed {self.seed}: acknowledged writes missing: {missing}")
        if self.slow_stops:
            raise Violation(f"seed {self.seed}: stops beyond ZOO_LEAVE_TIMEOUT + grace: "
                            f"{self.slow_stops}")
        return len(acked)

    def cleanup(self):
        for n in self.nodes:
            n.kill()


def main():
    logging.basicConfig(level=logging.ERROR)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=3, choices=(3, 5))
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1 << 30)
    tmp = tempfile.mkdtemp(prefix="zkinit-chaos-")
    c = Chaos(tmp, a.nodes, seed)
    try:
        c.run(a.steps)
        print(f"chaos: PASS seed={seed}")
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    except Violation as e:
        print(f"chaos: FAIL {e}\nchaos: logs kept in {tmp}; replay with --seed {seed} "
              f"--nodes {a.nodes}")
        return 1
    finally:
        c.cleanup()


if __name__ == "__main__":
    sys.exit(main())
