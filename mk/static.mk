# `make static`: build/zkinit-static, one static musl binary with libzookeeper_mt, libcurl (HTTP only)
# and cJSON built from Debian source packages fetched at build time (see mk/static.sh).
# Libraries are cached in build-static/; init/**/*.c is recompiled on every run.
.PHONY: static
static:
	bash mk/static.sh
