#!/usr/bin/python3
"""etcd id allocation latency of `zkinit id` on loopback: 50 allocations each, sequential and
20-way concurrent, for the v3 gateway and the v2 keys API, plus 50 sequential restarts (the id is
reused), for both allocation algorithms side by side in one run: `ranked` (the default: a
short-lived ticket ranks concurrent starts, one range read per round, v3 claims id and
registration in one transaction) and `linear` (the earlier one: every start tries the smallest free
id, then the next; ZKINIT_ETCD_ALLOC=linear). Each sample is the wall time of one whole `zkinit id`
process (exec, API detection, reads, writes). Starts its own etcd (Debian's) on 127.0.0.1 and stops
it. Prints a Markdown table. Usage: ZKINIT_BIN=build/zkinit /usr/bin/python3 bench/etcd_alloc.py
(ETCD_BENCH_N=10 for a quick run).
"""
import json
import math
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from etcd_support import Etcd  # noqa: E402

ZKINIT = os.environ.get("ZKINIT_BIN", os.path.join(ROOT, "build", "zkinit"))
N = int(os.environ.get("ETCD_BENCH_N", "50"))
CONCURRENCY = min(20, N)
ALGORITHMS = ("linear", "ranked")


def one(etcd, prefix, api, ip, alg="ranked"):
    env = {"PATH": "/usr/bin:/bin", "ETCD_ENDPOINTS": etcd.url, "ETCD_PREFIX": prefix,
           "ETCD_API": api, "HOST_IP": ip, "ETCD_TIMEOUT": "60", "ZKINIT_ETCD_ALLOC": alg}
    t0 = time.perf_counter()
    r = subprocess.run([ZKINIT, "id", "--data-dir", "/nonexistent"], env=env, capture_output=True,
                       text=True, timeout=120)
    dt = (time.perf_counter() - t0) * 1000
    if r.returncode != 0:
        raise SystemExit(f"zkinit id failed ({r.returncode}): {r.stderr}")
    return dt, json.loads(r.stdout)["id"]


def p99(samples):
    s = sorted(samples)
    return s[min(len(s) - 1, math.ceil(0.99 * len(s)) - 1)]  # nearest rank


def run(etcd, alg, api, mode):
    prefix = f"/bench-{alg}-{api}-{mode}"
    ips = [f"10.99.{200 + ('sequential', 'concurrent', 'restart').index(mode)}.{i}"
           for i in range(1, N + 1)]
    if mode == "restart":
        prefix = f"/bench-{alg}-{api}-sequential"  # the ids allocated by the sequential run
    if mode == "concurrent":
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            res = list(pool.map(lambda ip: one(etcd, prefix, api, ip, alg), ips))
    else:
        if mode == "restart":
            ips = list(etcd.nodes(prefix, api))
        res = [one(etcd, prefix, api, ip, alg) for ip in ips]
    ids = [i for _, i in res]
    if mode != "restart" and sorted(ids) != list(range(1, N + 1)):
        raise SystemExit(f"ids not unique/dense in {alg} {api} {mode}: {sorted(ids)}")
    ms = [d for d, _ in res]
    return statistics.median(ms), p99(ms), max(ms)


def linkage(path):
    """'static' or 'dynamic' (the dynamic build loads ~35 shared libraries at every start)."""
    with open(path, "rb") as f:
        return "dynamic" if b"ld-linux" in f.read(8192) else "static"


def exec_floor():
    """Median wall time of `zkinit id` with MYID (no etcd): the cost of starting the process."""
    env = {"PATH": "/usr/bin:/bin", "MYID": "1", "HOST_IP": "10.99.199.9"}
    ms = []
    for _ in range(20):
        t0 = time.perf_counter()
        subprocess.run([ZKINIT, "id", "--data-dir", "/nonexistent"], env=env, capture_output=True,
                       check=True)
        ms.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ms)


def main():
    etcd = Etcd()
    etcd.start()
    rows = []
    floor = exec_floor()
    try:
        one(etcd, "/bench-warmup", "v3", "10.99.199.1")  # the first write of a fresh etcd
        one(etcd, "/bench-warmup", "v2", "10.99.199.1")
        for api in ("v3", "v2"):
            for mode in ("sequential", "concurrent", "restart"):
                for alg in ALGORITHMS:  # interleaved: both see the same machine load
                    rows.append((api, mode, alg) + run(etcd, alg, api, mode))
    finally:
        etcd.cleanup()
    print(f"etcd id allocation, `zkinit id` wall time per process, {N} runs each "
          f"(concurrent: {CONCURRENCY} in flight; restart: same address again, id reused); "
          f"linear = the earlier algorithm, ranked = the default. Binary: {linkage(ZKINIT)}, "
          f"{floor:.1f} ms per start without etcd (MYID); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("| API | mode | algorithm | median ms | p99 ms | max ms |")
    print("|---|---|---|---:|---:|---:|")
    for api, mode, alg, med, p, mx in rows:
        print(f"| {api} | {mode} | {alg} | {med:.1f} | {p:.1f} | {mx:.1f} |")


if __name__ == "__main__":
    main()
