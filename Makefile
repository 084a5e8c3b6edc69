# Tend: `make run` opens the app on a demo community; `make test` runs every test.
# Both install what is missing first (Debian 12 packages, npm packages, tauri-driver).

SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(PATH)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

APT_PACKAGES := build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev \
	libayatana-appindicator3-dev librsvg2-dev libxdo-dev webkit2gtk-driver xvfb xauth \
	imagemagick xdotool fonts-noto-core fonts-noto-cjk poppler-utils postgresql openssl sqlite3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
UI_SOURCES := $(shell find ui/src ui/index.html ui/public -type f 2>/dev/null) ui/vite.config.ts ui/package.json

.PHONY: help run test deps deps-apt deps-toolchain deps-npm deps-cargo build ui e2e bench bench-ui fuzz bindings fmt clean

help:
	@echo "make run    install what is missing, build, open Tend on a demo community"
	@echo "make test   install what is missing, then Rust, UI and end-to-end tests"
	@echo "make bench  import speed and memory on a generated 1M-message Slack export"
	@echo "make bench-ui  each view's time in the real window, on the demo and a 1M-activity database"
	@echo "make fuzz   fuzz each importer with arbitrary bytes (SECONDS_TO_FUZZ=120 a target)"
	@echo "make bindings   regenerate ui/src/lib/bindings from the Rust types"

deps: deps-toolchain deps-apt deps-npm deps-cargo

deps-toolchain:
	@command -v cargo >/dev/null || { echo "error: Rust is missing: install it with rustup (https://rustup.rs), then run make again" >&2; exit 1; }
	@command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' \
		|| { echo "error: Node.js 20 or newer is needed (Debian 12's nodejs is 18): install it, then run make again" >&2; exit 1; }

deps-apt:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

deps-npm: ui/node_modules/.package-lock.json
ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

deps-cargo:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked
	@cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy

ui: ui/dist/index.html
ui/dist/index.html: $(UI_SOURCES) ui/node_modules/.package-lock.json
	cd ui && npm run build

build: deps ui
	cargo build --workspace

run: build
	$(TARGET_DIR)/debug/tend demo --if-empty
	$(TARGET_DIR)/debug/tend-app

test: deps ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p tend
	cargo test -p tend
	scripts/with-postgres.sh cargo test -p tend --test it sync_hub:: -- --ignored
	cd ui && npm run check && npm test
	$(MAKE) --no-print-directory e2e

e2e: build
	xvfb-run -a --server-args="-screen 0 1280x800x24" node e2e/run.mjs

bench: deps-toolchain
	cargo run --release -p tend -- bench import
	cargo run --release -p tend -- bench health
	cargo run --release -p tend -- bench sync --members 5000 --months 6

# Each view's time in the real window (release build), on the demo and on the
# million-activity database `tend bench health` makes.
bench-ui: deps ui
	cargo build --release -p tend -p tend-app
	xvfb-run -a --server-args="-screen 0 1440x900x24" node e2e/bench-ui.mjs

# cargo fuzz needs nightly flags; the machine's one toolchain is stable, so allow them.
# One target per format (and import_any, which picks the format by file name), each run
# SECONDS_TO_FUZZ seconds, seeded with the real exports in ../shared/corpus where present.
FUZZ_TARGETS := import_any slack mbox discourse attendance csv viva whatsapp telegram discord segment
fuzz: deps-toolchain
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  seeds=../../shared/corpus/$$t; [ $$t = csv ] && seeds=../../shared/corpus/activity-csv; \
	  [ $$t = whatsapp ] && seeds=../tests/fixtures/chat-miner/whatsapp; \
	  [ $$t = telegram ] && seeds=../tests/fixtures/chats/telegram; \
	  [ $$t = discord ] && seeds=../tests/fixtures/chats/discord; \
	  [ -d $$seeds ] || seeds=; mkdir -p corpus/$$t; \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run $$t corpus/$$t $$seeds -- \
	    -max_total_time=$${SECONDS_TO_FUZZ:-120} -rss_limit_mb=2048 || exit 1; \
	done

bindings:
	TEND_UPDATE_BINDINGS=1 cargo test --test it bindings::

fmt:
	cargo fmt --all

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules .e2e
