#!/bin/bash
# `make images-test` (build part): the images the container tests run, built offline with podman.
#
# 1. A Debian base from `debootstrap --variant=minbase` with the packages below (no registry can be
#    pulled from here). Its root tarball is cached in $IMAGES_CACHE keyed by suite, variant and
#    package list, and imported as localhost/zkinit-test/base:<key>; a fresh machine builds it once.
# 2. One test image per role that Debian can run (zookeeper: Mesos and Marathon are not packaged in
#    Debian 12): its Dockerfile is generated from the shipped images/<role>/Dockerfile by
#    tests/containers/dockerfile_surface.py, so its runtime surface (ENV names, USER, WORKDIR,
#    VOLUME, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD) is the shipped one, with Debian's ZooKeeper and
#    build/zkinit-static as /sbin/zkinit.
#
# `mk/images.sh base` builds the base only; `mk/images.sh usable` says whether podman runs here.
# Environment: IMAGES_CACHE (default /var/cache/zkinit-images), DEBIAN_MIRROR (default: the
# machine's apt source for the suite), ZKINIT_STATIC (default build/zkinit-static).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${IMAGES_CACHE:-/var/cache/zkinit-images}
SUITE=bookworm
VARIANT=minbase
BASE_PACKAGES=default-jre-headless,zookeeper,procps
STATIC=${ZKINIT_STATIC:-$ROOT/build/zkinit-static}
OUT=$ROOT/build/images

log() { printf 'images: %s\n' "$*" >&2; }
die() {
	printf 'images: error: %s\n' "$*" >&2
	exit 1
}

# The machine's Debian mirror for $SUITE: the first deb822 or one-line apt entry that serves it.
debian_mirror() {
	local f uri
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		printf '%s\n' "$DEBIAN_MIRROR"
		return 0
	fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk -v suite="$SUITE" '
			/^[[:space:]]*$/ { if (deb && hit && uri != "") { print uri; exit } deb = hit = 0; uri = ""; next }
			/^Types:/ { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			/^URIs:/ { uri = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
			END { if (deb && hit && uri != "") print uri }' "$f" | head -n 1)
		[ -n "$uri" ] && {
			printf '%s\n' "$uri"
			return 0
		}
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk -v suite="$SUITE" '$1 == "deb" {
			i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++; if ($i ~ /^\[/ || $i ~ /\]$/) i++;
			if ($(i + 1) == suite) { print $i; exit } }' "$f")
		[ -n "$uri" ] && {
			printf '%s\n' "$uri"
			return 0
		}
	done
	die "no apt source serves $SUITE (/etc/apt/sources.list*): set DEBIAN_MIRROR"
}

base_key() {
	printf '%s %s %s v1\n' "$SUITE" "$VARIANT" "$BASE_PACKAGES" | sha256sum | cut -c1-12
}

# Builds (or reuses) the base and prints its image name.
build_base() {
	local key name tarball rootfs mirror t0=$SECONDS
	key=$(base_key)
	name=localhost/zkinit-test/base:$key
	tarball=$CACHE/base-$key.tar
	if podman image exists "$name"; then
		log "base $name present"
	else
		if [ ! -f "$tarball" ]; then
			command -v debootstrap >/dev/null || die "debootstrap is missing (make deps)"
			mirror=$(debian_mirror)
			rootfs=$CACHE/rootfs-$key
			rm -rf "$rootfs" && mkdir -p "$rootfs"
			log "debootstrap --variant=$VARIANT $SUITE from $mirror with $BASE_PACKAGES (a few minutes, once)"
			mkdir -p "$CACHE/debs"
			if ! debootstrap --variant="$VARIANT" --include="$BASE_PACKAGES" --cache-dir="$CACHE/debs" \
				"$SUITE" "$rootfs" "$mirror" >"$CACHE/debootstrap-$key.log" 2>&1; then
				tail -n 30 "$CACHE/debootstrap-$key.log" >&2
				die "debootstrap failed (log: $CACHE/debootstrap-$key.log)"
			fi
			chroot "$rootfs" apt-get clean
			rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc "$rootfs"/usr/share/man
			tar -C "$rootfs" -cf "$tarball.tmp" .
			mv -f "$tarball.tmp" "$tarball"
			rm -rf "$rootfs"
			log "base rootfs cached in $tarball ($((SECONDS - t0)) s)"
		fi
		podman import --quiet "$tarball" "$name" >/dev/null || die "podman import $tarball failed"
		log "imported $name"
	fi
	printf '%s\n' "$name"
}

build_role() {
	local role=$1 base=$2 ctx=$OUT/$1
	rm -rf "$ctx" && mkdir -p "$ctx"
	cp "$STATIC" "$ctx/zkinit-static"
	python3 "$ROOT/tests/containers/dockerfile_surface.py" generate "$ROOT" "$role" "$base" "$ctx" ||
		die "cannot generate the test Dockerfile of $role from images/$role/Dockerfile"
	log "building localhost/zkinit-test/$role:test"
	podman build --quiet --format docker -t "localhost/zkinit-test/$role:test" "$ctx" >/dev/null ||
		die "podman build of $ctx/Dockerfile failed"
}

# Exit 0 when podman can run containers here, else 1 with the reason.
usable() {
	local tool
	for tool in podman docker docker-compose debootstrap; do
		command -v "$tool" >/dev/null || die "$tool is not installed (make deps)"
	done
	[ "$(id -u)" -eq 0 ] || die "not root: the container tests run rootful podman"
	podman info >/dev/null 2>&1 || die "podman info fails: $(podman info 2>&1 | tail -n 1)"
}

main() {
	local base
	if [ "${1:-}" = usable ]; then
		usable
		return 0
	fi
	command -v podman >/dev/null || die "podman is missing (make deps)"
	[ "${1:-}" = base ] || [ -x "$STATIC" ] || die "$STATIC is missing: make static"
	mkdir -p "$CACHE" "$OUT"
	base=$(build_base)
	[ "${1:-}" = base ] && return 0
	build_role zookeeper "$base"
}

main "$@"
