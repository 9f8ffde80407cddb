#!/usr/bin/env bash
# make bench: every benchmark, one Markdown table each. ZKINIT_BIN names the binary under test.
set -euo pipefail
cd "$(dirname "$0")/.."
export ZKINIT_BIN="${ZKINIT_BIN:-$PWD/build/zkinit}"
/usr/bin/python3 bench/init_bench.py "$@"
for extra in bench/etcd_alloc.py bench/zk_membership.py bench/zk_leave_dead.py; do
  if [ -f "$extra" ]; then
    /usr/bin/python3 "$extra"
  fi
done
