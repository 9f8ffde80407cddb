"""Benchmarks zkinit's PID-1 core side by side with Debian's tini-static, dumb-init and catatonit:
start-up of `INIT -- /bin/true` as PID 1, time to reap an orphan storm, idle resident memory, and
binary size. Prints a Markdown table with ratios to tini-static (lower is better).
Usage: ZKINIT_BIN=build/zkinit python3 bench/init_bench.py [--runs N] [--orphans N]"""
import argparse
import os
import statistics
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"


def inits():
    z = os.environ.get("ZKINIT_BIN", os.path.join(ROOT, "build", "zkinit"))
    out = [("zkinit", [z, "--"], z)]
    static = os.path.join(os.path.dirname(z), "zkinit-static")
    if os.path.exists(static):
        out.append(("zkinit-static", [static, "--"], static))
    for name, argv in (("tini-static", ["/usr/bin/tini-static", "--"]),
                       ("dumb-init", ["/usr/bin/dumb-init"]),
                       ("catatonit", ["/usr/bin/catatonit", "--"])):
        if os.path.exists(argv[0]):
            out.append((name, argv, argv[0]))
    return out


def as_pid1(argv):
    return ["unshare", "--pid", "--fork", "--mount-proc"] + argv


def wall(argv):
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def startup(all_inits, runs):
    """Median wall time of `INIT -- /bin/true` as PID 1, runs interleaved to share the noise."""
    times = {name: [] for name, _, _ in all_inits}
    for _ in range(runs):
        for name, argv, _ in all_inits:
            times[name].append(wall(as_pid1(argv + ["/bin/true"])))
    return {k: statistics.median(v) for k, v in times.items()}


def storm(all_inits, orphans, runs):
    times = {name: [] for name, _, _ in all_inits}
    cmd = [PY, os.path.join(HERE, "orphan_storm.py"), str(orphans)]
    for _ in range(runs):
        for name, argv, _ in all_inits:
            times[name].append(wall(as_pid1(argv + cmd)))
    return {k: statistics.median(v) for k, v in times.items()}


def idle_rss(argv):
    """VmRSS (KiB) of the init, as PID 1, while its COMMAND sleeps."""
    p = subprocess.Popen(as_pid1(argv + ["sleep", "30"]), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        init = None
        for _ in range(500):
            with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
                kids = f.read().split()
            if kids:
                init = kids[0]
                with open(f"/proc/{init}/task/{init}/children") as f:
                    if f.read().split():
                        break
            time.sleep(0.01)
        time.sleep(0.2)
        with open(f"/proc/{init}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    finally:
        os.killpg(p.pid, 9)
        p.wait()
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--orphans", type=int, default=3000)
    ap.add_argument("--storm-runs", type=int, default=5)
    a = ap.parse_args()
    all_inits = inits()
    up = startup(all_inits, a.runs)
    st = storm(all_inits, a.orphans, a.storm_runs)
    rss = {name: idle_rss(argv) for name, argv, _ in all_inits}
    size = {name: os.path.getsize(path) for name, _, path in all_inits}
    base = "tini-static"
    print(f"\n### PID-1 core vs other inits (medians; ratio = init / {base}; lower is better)\n")
    print(f"| init | start-up `-- /bin/true` (ms) | ratio | reap {a.orphans} orphans (ms) | ratio "
          "| idle RSS (KiB) | ratio | binary (bytes) | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, _, _ in all_inits:
        print(f"| {name} | {up[name]*1000:.2f} | {up[name]/up[base]:.2f} | {st[name]*1000:.0f} | "
              f"{st[name]/st[base]:.2f} | {rss[name]} | {rss[name]/rss[base]:.2f} | {size[name]} | "
              f"{size[name]/size[base]:.2f} |")
    print(f"\nruns: start-up {a.runs}, storm {a.storm_runs}; `unshare --pid --fork --mount-proc` "
          "around every init.")


if __name__ == "__main__":
    main()
