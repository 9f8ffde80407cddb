#!/usr/bin/env bash
# make bench: every benchmark, one Markdown table each. ZKINIT_BIN names the binary under test.
set -euo pipefail
cd "$(dirname "$0")/.."
export ZKINIT_BIN="${ZKINIT_BIN:-$PWD/build/zkinit}"
/usr/bin/python3 bench/init_bench.py "$@"
# The etcd allocation is timed with the binary the images ship (the dynamic build's start-up is
# dominated by loading ~35 shared libraries, 11 ms of every run).
static="$PWD/build/zkinit-static"
ZKINIT_BIN="$([ -x "$static" ] && echo "$static" || echo "$ZKINIT_BIN")" /usr/bin/python3 bench/etcd_alloc.py
for extra in bench/zk_membership.py bench/zk_leave_dead.py; do
  /usr/bin/python3 "$extra"
done
