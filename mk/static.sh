#!/bin/bash
# Builds build/zkinit-static: one statically linked musl binary of init/**/*.c with libzookeeper_mt,
# libcurl (HTTP only) and cJSON built from Debian's source packages fetched at build time.
#
# Sources: `apt-get source zookeeper curl cjson`. apt verifies every downloaded file against the
# checksums in the Sources index, which is covered by the archive's signed InRelease, so nothing is
# built from unverified input. When the machine has no deb-src entry, one is added (root only) next to
# the existing Debian entries. The built libraries are cached under build-static/prefix: a second run
# only recompiles init/**/*.c (rm -rf build-static to rebuild the libraries).
#
# libcurl is built without any TLS (and without zlib, IDN, PSL, brotli, zstd, HTTP/2, LDAP, ...):
# zkinit talks plain HTTP to etcd, which is meant to be on a private network.
#
# Environment: STATIC_WORK (default build-static), STATIC_OUT (default build/zkinit-static),
# MUSL_CC (default musl-gcc), JOBS (default nproc).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${STATIC_WORK:-$ROOT/build-static}
OUT=${STATIC_OUT:-$ROOT/build/zkinit-static}
MUSL_CC=${MUSL_CC:-musl-gcc}
JOBS=${JOBS:-$(nproc)}
PREFIX=$WORK/prefix
SRC=$WORK/src
JUTE_JAR=${JUTE_JAR:-/usr/share/java/zookeeper-jute.jar}
# Size first for the libraries (not on any hot path of an init); init/**/*.c gets -O2 as in `make`.
LIB_CFLAGS="-Os -ffunction-sections -fdata-sections"

log() { printf 'static: %s\n' "$*" >&2; }
die() {
	printf 'static: error: %s\n' "$*" >&2
	exit 1
}

# run_logged NAME COMMAND...: runs COMMAND with its output in $WORK/logs/NAME.log; on failure shows
# the end of that log and stops.
run_logged() {
	local name=$1 log
	shift
	log=$WORK/logs/$name.log
	mkdir -p "$WORK/logs"
	if ! "$@" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "$name failed (full log: $log)"
	fi
}

check_tools() {
	local t missing=()
	for t in "$MUSL_CC" cmake make java apt-get dpkg-source ar strip; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	[ -r "$JUTE_JAR" ] || missing+=("$JUTE_JAR (package libzookeeper-java)")
	if [ ${#missing[@]} -gt 0 ]; then
		die "missing: ${missing[*]}; install musl-tools cmake make default-jre-headless libzookeeper-java dpkg-dev (make deps)"
	fi
}

# Adds deb-src entries mirroring the machine's Debian deb entries when apt has none.
enable_deb_src() {
	if apt-get --print-uris source cjson >/dev/null 2>&1; then
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || die "apt has no deb-src entry and this is not root: add one (Types: deb deb-src) or run as root"
	local d822=/etc/apt/sources.list.d/debian.sources dest
	if [ -f "$d822" ]; then
		dest=/etc/apt/sources.list.d/zkinit-deb-src.sources
		log "adding deb-src entries from $d822 to $dest"
		sed -e 's/^Types:.*$/Types: deb-src/' "$d822" >"$dest"
	elif [ -f /etc/apt/sources.list ]; then
		dest=/etc/apt/sources.list.d/zkinit-deb-src.list
		log "adding deb-src lines from /etc/apt/sources.list to $dest"
		sed -n -e 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list >"$dest"
	else
		die "no Debian apt source found to derive a deb-src entry from"
	fi
	apt-get update -qq >&2 || die "apt-get update failed after adding $dest"
	apt-get --print-uris source cjson >/dev/null 2>&1 || die "deb-src entry in $dest does not serve sources"
}

# fetch PACKAGE: unpacks Debian's source package (patches applied) under $SRC, prints its directory.
fetch() {
	local pkg=$1 dir
	if [ ! -f "$SRC/.$pkg.ok" ]; then
		enable_deb_src
		rm -rf "${SRC:?}/$pkg"-[0-9]* && mkdir -p "$SRC"
		log "apt-get source $pkg"
		run_logged "apt-get-source-$pkg" env -C "$SRC" apt-get source "$pkg"
		touch "$SRC/.$pkg.ok"
	fi
	dir=$(find "$SRC" -maxdepth 1 -type d -name "$pkg-[0-9]*" -print -quit)
	[ -n "$dir" ] || die "apt-get source $pkg unpacked nothing under $SRC"
	printf '%s\n' "$dir"
}

build_cjson() {
	[ -f "$PREFIX/lib/libcjson.a" ] && return 0
	local dir
	dir=$(fetch cjson)
	log "building cJSON from ${dir##*/}"
	mkdir -p "$PREFIX/lib" "$PREFIX/include/cjson" "$WORK/cjson"
	# shellcheck disable=SC2086 # LIB_CFLAGS is a list of flags
	"$MUSL_CC" $LIB_CFLAGS -std=c89 -c -o "$WORK/cjson/cJSON.o" "$dir/cJSON.c"
	ar rcs "$PREFIX/lib/libcjson.a" "$WORK/cjson/cJSON.o"
	cp "$dir/cJSON.h" "$PREFIX/include/cjson/"
}

build_curl() {
	[ -f "$PREFIX/lib/libcurl.a" ] && return 0
	local dir b
	dir=$(fetch curl)
	b=$WORK/curl
	log "building libcurl (HTTP only, no TLS) from ${dir##*/}"
	rm -rf "$b" && mkdir -p "$b"
	# Out-of-tree build; Debian's patched tree ships a generated configure.
	run_logged curl-configure env -C "$b" "$dir/configure" CC="$MUSL_CC" CFLAGS="$LIB_CFLAGS" \
		--prefix="$PREFIX" --disable-shared --enable-static --disable-dependency-tracking \
		--enable-http --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp \
		--disable-dict --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb \
		--disable-smtp --disable-gopher --disable-mqtt --disable-manual \
		--disable-ntlm --disable-ntlm-wb --disable-crypto-auth --disable-tls-srp \
		--disable-cookies --disable-alt-svc \
		--disable-hsts --disable-doh --disable-mime --disable-netrc --disable-progress-meter \
		--disable-dateparse --disable-libcurl-option --disable-unix-sockets --disable-websockets \
		--without-ssl --without-zlib --without-brotli --without-zstd --without-libidn2 \
		--without-libpsl --without-nghttp2 --without-ngtcp2 --without-nghttp3 --without-quiche \
		--without-msh3 --without-libssh2 --without-libssh --without-wolfssh --without-librtmp \
		--without-libgsasl --without-gssapi --without-hyper --without-ca-bundle --without-ca-path \
		--without-ca-fallback
	run_logged curl-make make -C "$b/lib" -j"$JOBS"
	run_logged curl-install make -C "$b/lib" install
	run_logged curl-install-headers make -C "$b/include" install
}

build_zookeeper() {
	[ -f "$PREFIX/lib/libzookeeper_mt.a" ] && return 0
	local dir c b
	dir=$(fetch zookeeper)
	c=$dir/zookeeper-client/zookeeper-client-c
	b=$WORK/zookeeper
	[ -f "$c/CMakeLists.txt" ] || die "no C client under $c"
	log "generating the jute sources and building libzookeeper_mt from ${dir##*/}"
	mkdir -p "$c/generated"
	run_logged jute env -C "$c/generated" java -cp "$JUTE_JAR" \
		org.apache.jute.compiler.generated.Rcc -l c "$dir/zookeeper-jute/src/main/resources/zookeeper.jute"
	rm -rf "$b" && mkdir -p "$b"
	run_logged zookeeper-cmake cmake -S "$c" -B "$b" -DCMAKE_C_COMPILER="$MUSL_CC" \
		-DCMAKE_BUILD_TYPE=MinSizeRel -DCMAKE_C_FLAGS="$LIB_CFLAGS" -DWANT_SYNCAPI=ON \
		-DWITH_OPENSSL=OFF -DWITH_CYRUS_SASL=OFF -DWANT_CPPUNIT=OFF
	run_logged zookeeper-make make -C "$b" -j"$JOBS" zookeeper
	mkdir -p "$PREFIX/lib" "$PREFIX/include/zookeeper"
	# One archive, as Debian's libzookeeper_mt: the C client's hash table is a separate CMake library.
	rm -f "$PREFIX/lib/libzookeeper_mt.a"
	printf 'create %s\naddlib %s\naddlib %s\nsave\nend\n' "$PREFIX/lib/libzookeeper_mt.a" \
		"$b/libzookeeper.a" "$b/libhashtable.a" | ar -M || die "merging the ZooKeeper archives failed"
	cp "$c"/include/*.h "$c/generated/zookeeper.jute.h" "$PREFIX/include/zookeeper/"
}

build_zkinit() {
	local obj=$WORK/obj f o objs=()
	rm -rf "$obj" && mkdir -p "$obj" "$(dirname "$OUT")"
	log "compiling init/**/*.c with $MUSL_CC"
	for f in "$ROOT"/init/*.c "$ROOT"/init/*/*.c; do
		o=$obj/$(basename "$(dirname "$f")")-$(basename "${f%.c}").o
		"$MUSL_CC" -D_GNU_SOURCE -DTHREADED -I"$ROOT/init" -I"$PREFIX/include" \
			-std=c11 -O2 -ffunction-sections -fdata-sections -Wall -Wextra -Werror -Wshadow \
			-Wstrict-prototypes -Wformat=2 -c -o "$o" "$f" || die "compiling $f with musl failed"
		objs+=("$o")
	done
	"$MUSL_CC" -static -Wl,--gc-sections -o "$WORK/zkinit-static.debug" "${objs[@]}" \
		-L"$PREFIX/lib" -lzookeeper_mt -lcurl -lcjson -lpthread || die "static link failed"
	strip -o "$OUT.tmp" "$WORK/zkinit-static.debug"
	mv -f "$OUT.tmp" "$OUT"
	log "$OUT: $(stat -c %s "$OUT") bytes, stripped, static (unstripped: $WORK/zkinit-static.debug)"
}

main() {
	local t0=$SECONDS
	check_tools
	mkdir -p "$WORK"
	build_cjson
	build_curl
	build_zookeeper
	build_zkinit
	log "done in $((SECONDS - t0)) s"
}

main "$@"
