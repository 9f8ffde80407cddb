#!/usr/bin/env bash
# demo.sh - `make demo`: a real 3-node ZooKeeper ensemble from Debian's packages on this machine,
# each node under zkinit as PID 1 of its own pid namespace (unshare), on 127.0.0.11-13.
# Shows the ids, stops one node (it leaves the ensemble), starts it again (it rejoins), prints
# `zkinit members`, and removes every process it started (by pid) and its files, even on Ctrl-C.
# Needs root (unshare) and `make deps` (zookeeper, default-jre-headless).
set -euo pipefail

ZKINIT_BIN=${ZKINIT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/zkinit}
IPS=(127.0.0.11 127.0.0.12 127.0.0.13)
SERVERS="server.1=127.0.0.11:2888:3888;127.0.0.11:2181 server.2=127.0.0.12:2888:3888;127.0.0.12:2181 server.3=127.0.0.13:2888:3888;127.0.0.13:2181"
WORK=""
declare -A UNSHARE_PID=()

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
die() { echo "demo: $*" >&2; exit 1; }

check() {
    [ "$(id -u)" = 0 ] || die "run as root (each node gets its own pid namespace with unshare)"
    [ -x "$ZKINIT_BIN" ] || die "no zkinit at $ZKINIT_BIN (run: make)"
    command -v java >/dev/null || die "java not found (run: make deps)"
    [ -f /usr/share/java/zookeeper.jar ] || die "Debian's zookeeper is not installed (run: make deps)"
    for ip in "${IPS[@]}"; do
        if (exec 3<>"/dev/tcp/$ip/2181") 2>/dev/null; then
            die "something already listens on $ip:2181; stop it first"
        fi
    done
}

# The zkinit process (PID 1 inside the namespace) of node N, as seen from here.
zkinit_pid() { pgrep -P "${UNSHARE_PID[$1]}" || true; }

cleanup() {
    trap - EXIT
    trap "" INT TERM # a second Ctrl-C must not cut the cleanup short
    local n pid
    for n in "${!UNSHARE_PID[@]}"; do
        pid=$(zkinit_pid "$n")
        if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for n in "${!UNSHARE_PID[@]}"; do
        for _ in $(seq 1 100); do
            kill -0 "${UNSHARE_PID[$n]}" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "${UNSHARE_PID[$n]}" 2>/dev/null || true # --kill-child takes the namespace down
        wait "${UNSHARE_PID[$n]}" 2>/dev/null || true
    done
    [ -n "$WORK" ] && rm -rf "$WORK"
}

start_node() {
    local n=$1 ip=${IPS[$1 - 1]} dir="$WORK/zk$1"
    mkdir -p "$dir"
    env -i PATH="$PATH" MYID="$n" HOST_IP="$ip" ZOO_CLIENT_ADDRESS="$ip" ZOO_SERVERS="$SERVERS" \
        ZOO_CONF_DIR="$dir/conf" ZOO_DATA_DIR="$dir/data" ZOO_DATA_LOG_DIR="$dir/datalog" \
        ZOO_LOG_DIR="$dir/logs" ZOO_TICK_TIME=200 ZOO_ADMINSERVER_ENABLED=false \
        ZOO_SUPER_PASSWORD=demo-secret JVMFLAGS="-Xmx128m -XX:-UsePerfData" \
        unshare --pid --fork --mount-proc --kill-child=SIGKILL "$ZKINIT_BIN" zookeeper \
        >>"$dir/out.log" 2>>"$dir/zkinit.log" &
    UNSHARE_PID[$n]=$!
}

# zkinit's own log lines of node N (the JVM's output stays in the file).
show_log() {
    local n=$1 from=${2:-1}
    tail -n "+$from" "$WORK/zk$n/zkinit.log" | grep 'role=zookeeper' |
        sed -e 's/^ts=[^ ]* //' -e "s/^/  zk$n | /" || true
}

log_lines() { wc -l <"$WORK/zk$1/zkinit.log"; }

wait_healthy() {
    local n=$1
    for _ in $(seq 1 600); do
        if ZOO_CLIENT_ADDRESS=${IPS[$n - 1]} "$ZKINIT_BIN" health >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    show_log "$n"
    die "zk$n did not become healthy"
}

# Waits until PATTERN shows in node N's log at line FROM or later.
wait_log() {
    local n=$1 pattern=$2 from=${3:-1}
    for _ in $(seq 1 600); do
        tail -n "+$from" "$WORK/zk$n/zkinit.log" | grep -q "$pattern" && return 0
        sleep 0.1
    done
    die "zk$n: no \"$pattern\" in its log"
}

members() { "$ZKINIT_BIN" members --zk "127.0.0.11:2181,127.0.0.12:2181,127.0.0.13:2181" | sed 's/^/  /'; }

main() {
    check
    WORK=$(mktemp -d /tmp/zkinit-demo.XXXXXX)
    chmod 755 "$WORK" # the JVMs run as the zookeeper user when it exists
    trap cleanup EXIT
    trap 'exit 130' INT TERM

    say "Starting 3 ZooKeeper nodes, each under zkinit as PID 1 of its own pid namespace"
    for n in 1 2 3; do start_node "$n"; done
    for n in 1 2 3; do wait_healthy "$n"; done
    for n in 1 2 3; do
        echo "  zk$n: zkinit pid $(zkinit_pid "$n") here, PID 1 inside; $(ZOO_CLIENT_ADDRESS=${IPS[$n - 1]} "$ZKINIT_BIN" health)"
        show_log "$n" | grep -E 'identity|start decision|member|joined' || true
    done
    say "zkinit members"
    members

    say "Stopping zk2 (SIGTERM to its zkinit): it leaves the ensemble before the JVM stops"
    local pid
    pid=$(zkinit_pid 2)
    kill -TERM "$pid"
    wait "${UNSHARE_PID[2]}" || true
    show_log 2 | grep -E 'left|leave|exited' || true
    members

    say "Starting zk2 again: it finds the live ensemble, starts as observer and is added back"
    local from
    from=$(($(log_lines 2) + 1))
    start_node 2
    wait_log 2 "hook finished\" hook=join" "$from"
    show_log 2 "$from" | grep -E 'identity|start decision|synced|joined' || true
    wait_healthy 2

    say "zkinit members"
    members
    say "Done: stopping every node"
}

main "$@"
