#!/bin/bash
# `make deps` (container part): writes the container engine's configuration for podman on this
# machine kind, so that `make images-test` can run the images for real (see tests/containers/).
#
# - runc, not crun: crun fails on this host's hybrid cgroup hierarchy; cgroupfs, not systemd.
# - default rlimits at most the host's hard limits (higher ones fail "operation not permitted").
# - events to a file (no journald inside CI machines); netavark networks (aardvark-dns names).
# A containers.conf that zkinit did not write is kept; its missing settings are named.
set -euo pipefail

CONF=${CONTAINERS_CONF:-/etc/containers/containers.conf}
MARKER='# written by zkinit mk/containers-engine.sh'

log() { printf 'containers-engine: %s\n' "$*" >&2; }

write_conf() {
	mkdir -p "$(dirname "$CONF")"
	cat >"$CONF.tmp" <<CONF
$MARKER (make deps); remove this line to keep local edits.
[containers]
default_ulimits = ["nofile=10000:10000", "nproc=10000:10000"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
network_backend = "netavark"
CONF
	mv -f "$CONF.tmp" "$CONF"
	log "wrote $CONF"
}

check_conf() {
	local key missing=()
	for key in default_ulimits runtime cgroup_manager events_logger network_backend; do
		grep -Eq "^[[:space:]]*${key}[[:space:]]*=" "$CONF" || missing+=("$key")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		log "warning: $CONF was not written by zkinit and lacks: ${missing[*]} (see mk/containers-engine.sh)"
	else
		log "keeping $CONF (not written by zkinit)"
	fi
}

if [ -f "$CONF" ] && ! grep -qF "$MARKER" "$CONF"; then
	check_conf
else
	write_conf
fi
