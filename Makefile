# zkinit - see README.md. `make help` lists the targets.
SHELL := /bin/bash
CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif

SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS :=
endif

CPPFLAGS += -D_GNU_SOURCE -DTHREADED -Iinit
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
LDLIBS += -lzookeeper_mt -lcurl -lcjson -lpthread

SRCS := $(wildcard init/*.c init/*/*.c)
HDRS := $(wildcard init/*.h init/*/*.h)
OBJS := $(SRCS:init/%.c=$(BUILD)/obj/%.o)
LIB_OBJS := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%.o)

ZKINIT_BIN ?= $(abspath $(BUILD)/zkinit)
PYTEST ?= /usr/bin/python3 -m pytest
PYTEST_ARGS ?= -q -ra
FUZZ_SECONDS ?= 20

.PHONY: all test unit integration chaos lint format fuzz bench demo deps clean help
all: $(BUILD)/zkinit

$(BUILD)/zkinit: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: init/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/unit/%.o: tests/unit/%.c $(HDRS) tests/unit/unit.h | $(BUILD)/unit
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -c -o $@ $<

$(BUILD)/unit-tests: $(UNIT_OBJS) $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/unit:
	mkdir -p $@

# The whole suite: unit tests, the integration tests against real ZooKeeper and etcd, then the
# container tests when podman is usable (mk/containers.mk).
test: unit integration containers-if-usable

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

integration: $(BUILD)/zkinit
	ZKINIT_BIN=$(ZKINIT_BIN) $(PYTEST) $(PYTEST_ARGS) tests/integration tests/chaos

# The fault-injection suite, longer and with a fresh seed (printed): CHAOS_NODES=3|5,
# CHAOS_STEPS, CHAOS_SEED to replay a failure.
CHAOS_NODES ?= 3
CHAOS_STEPS ?= 20
chaos: $(BUILD)/zkinit
	ZKINIT_BIN=$(ZKINIT_BIN) /usr/bin/python3 tests/chaos/chaos.py --nodes $(CHAOS_NODES) \
	  --steps $(CHAOS_STEPS) $(if $(CHAOS_SEED),--seed $(CHAOS_SEED))

# Static analysis and formatting of the project's own C code; fails on any finding.
lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem --std=c11 -D_GNU_SOURCE -DTHREADED -Iinit init/
	@# one file per run: clang-tidy 14 reports a false valist.Uninitialized when it analyses several
	printf '%s\n' $(SRCS) | xargs -P2 -I{} clang-tidy --quiet {} -- $(CPPFLAGS) -std=c11
	clang-format --dry-run --Werror $(SRCS) $(HDRS) tests/unit/*.[ch] tests/fuzz/*.c

format:
	clang-format -i $(SRCS) $(HDRS) tests/unit/*.[ch] tests/fuzz/*.c

# libFuzzer targets: tests/fuzz/fuzz_NAME.c, each linked with the library objects (clang).
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)
FUZZ_LIB_OBJS := $(LIB_OBJS:$(BUILD)/obj/%.o=build-fuzz/obj/%.o)
FUZZFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
.SECONDARY: $(FUZZ_LIB_OBJS)
build-fuzz/obj/%.o: init/%.c $(HDRS)
	@mkdir -p $(@D)
	clang $(CPPFLAGS) -std=c11 -Wall -Wextra -Werror $(FUZZFLAGS) -c -o $@ $<
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS)
	clang $(CPPFLAGS) -std=c11 -Wall -Wextra -Werror -g -O1 \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $^ $(LDLIBS)
fuzz: $(FUZZ_BINS)
	@set -e; for f in $(FUZZ_BINS); do \
	  name=$${f##*/}; corpus=tests/fuzz/corpus/$${name#fuzz_}; mkdir -p build-fuzz/corpus/$$name; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 -artifact_prefix=build-fuzz/ \
	    build-fuzz/corpus/$$name $$( [ -d $$corpus ] && echo $$corpus ) 2>build-fuzz/$$name.log \
	    || { tail -40 build-fuzz/$$name.log; exit 1; }; \
	done

bench: $(BUILD)/zkinit static
	ZKINIT_BIN=$(ZKINIT_BIN) bash bench/run.sh

demo: $(BUILD)/zkinit
	ZKINIT_BIN=$(ZKINIT_BIN) bash compose/demo.sh

# Everything the build, the tests, the benchmarks and the demo need (Debian, as root).
DEB_PACKAGES := build-essential pkg-config libzookeeper-mt-dev libcurl4-openssl-dev libcjson-dev \
  musl-tools zookeeper etcd-server etcd-client default-jre-headless python3 python3-pytest \
  python3-kazoo python3-yaml tini dumb-init catatonit clang libclang-rt-14-dev llvm cppcheck \
  clang-tidy clang-format shellcheck hyperfine iproute2 util-linux bsdutils procps curl \
  docker-compose systemd dpkg-dev cmake passwd file xz-utils protobuf-compiler \
  podman runc netavark aardvark-dns iptables debootstrap
deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES)
	bash mk/containers-engine.sh

clean:
	rm -rf build build-san build-fuzz build-static

help:
	@echo "make | make test | make demo | make bench | make static | make deps | make lint | make fuzz"
	@echo "SAN=1: AddressSanitizer + UndefinedBehaviorSanitizer build in build-san/"

# Further targets (static build, ...) live in mk/*.mk.
-include mk/*.mk
