# Thin wrapper over Meson/Ninja and npm. The two commands: `make run`, `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
DB         ?= var/yunquan.db
LISTEN     ?= 127.0.0.1:8080
NINJA_JOBS ?= 2

.PHONY: all run test test-long bench bench-full deps test-deps bench-deps build build-asan build-fuzz fuzz fuzz-test web unit api browser clean

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

bench-deps:
	@scripts/deps.sh bench

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dwerror=true >/dev/null

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
	  -Dc_args=-fno-sanitize-recover=all -Dbuildtype=debug >/dev/null

# The libFuzzer targets (fuzz/): clang, every library instrumented.
$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Dwerror=true -Db_sanitize=address,undefined \
	  -Db_lundef=false -Dc_args=-fno-sanitize-recover=all >/dev/null

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(NINJA_JOBS)

build-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD) -j $(NINJA_JOBS)

build-fuzz: test-deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) -j $(NINJA_JOBS)

# Each target for FUZZ_SECONDS (make fuzz FUZZ_SECONDS=600); FUZZ_MERGE=1
# merges new inputs into fuzz/corpus/.
fuzz: build-fuzz
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed $(shell find web/src web/index.html web/vite.config.ts -type f 2>/dev/null)
	cd web && npm run build --silent

web: deps web/dist/index.html

# Demo database on first run; the demo logins are kept beside it (mode 600)
# so that every `make run` can print them.
run: build web
	@if [ ! -f $(DB) ]; then mkdir -p $(dir $(DB)); umask 077; \
	  $(BUILD)/yunquan demo --db $(DB) > $(DB).logins || { cat $(DB).logins; exit 1; }; fi
	@echo "================ 云券 Yunquan 演示平台 ================"
	@cat $(DB).logins 2>/dev/null || echo "（演示账号的密码只在创建数据库时打印；删除 $(DB)* 后重新 make run 可重新生成）"
	@echo "打开 http://$(LISTEN)/ 登录；Ctrl-C 停止。"
	@echo "======================================================="
	exec $(BUILD)/yunquan serve --db $(DB) --listen $(LISTEN) --access-log $(DB).access.log

test: test-deps build build-asan build-fuzz web
	/usr/bin/python3 tests/run_all.py --build $(BUILD) --asan-build $(ASAN_BUILD) --fuzz-build $(FUZZ_BUILD)

# The rush (against the naive SQLite ceiling), the reads (against nginx)
# and the footprint, small sizes (< 3 minutes); bench-full: the issue's sizes.
bench: bench-deps build
	/usr/bin/python3 bench/run_all.py

bench-full: bench-deps build
	/usr/bin/python3 bench/run_all.py --full

# 100 kill -9 under mixed traffic and a 10-minute soak (also under ASan):
# about 25 minutes. YQ_CRASH_ROUNDS and YQ_SOAK_SECONDS change the sizes.
test-long: test-deps build build-asan
	/usr/bin/python3 tests/run_all.py --build $(BUILD) --asan-build $(ASAN_BUILD) --long

unit: build
	/usr/bin/python3 tests/run_all.py --build $(BUILD) --only unit

api: build
	/usr/bin/python3 tests/run_all.py --build $(BUILD) --only api

browser: build web
	/usr/bin/python3 tests/run_all.py --build $(BUILD) --only browser

fuzz-test: build-fuzz
	/usr/bin/python3 tests/run_all.py --fuzz-build $(FUZZ_BUILD) --only fuzz

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) web/dist
