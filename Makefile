# The README's two commands: `make demo` and `make test`. Every target installs what it needs.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
FIXTURE_SERVER := node tests/server/fixture-server.mjs
CHROMEDRIVER := /usr/bin/chromedriver
GECKODRIVER := $(HOME)/.cargo/bin/geckodriver
WEBKITDRIVER := /usr/bin/WebKitWebDriver
FUZZ_SECONDS ?= 30

.PHONY: setup contract test-contract pkg pack lint-docs lint-js test-size test-consumers lint test test-native test-wasm-node test-wasm-chrome test-wasm-firefox test-wasm-webkit test-react fuzz fuzz-short www test-www test-www-firefox test-www-webkit test-bench demo bench clean

setup:
	scripts/setup.sh

## The JavaScript contract generated from the Rust types (src/contract.rs): the declarations the
## package ships (js/src/contract.d.ts) and its idle state (js/src/contract.js).
contract:
	ASK_SEER_WRITE_CONTRACT=1 cargo test --release --lib contract::

## Fails when the committed contract differs from what the Rust types generate.
test-contract:
	cargo test --release --lib contract::

WASM_ARTIFACT := $(or $(CARGO_TARGET_DIR),target)/wasm32-unknown-unknown/release/ask_seer_polling.wasm
JS_TOOLS := js/node_modules/.package-lock.json

$(JS_TOOLS): js/package-lock.json
	npm --prefix js ci --no-audit --no-fund

## The npm package in pkg/: wasm-pack's release build (the profile and wasm-opt flags of
## Cargo.toml), wasm-bindgen's web glue for the default entry, assembled by js/build.mjs.
pkg: setup $(JS_TOOLS)
	rm -rf build
	wasm-pack build --release --target bundler --out-dir build/bundler --out-name ask_seer_polling
	wasm-bindgen --target web --no-typescript --out-dir build/web --out-name ask_seer_polling $(WASM_ARTIFACT)
	node js/build.mjs

## The publishable tarball, dist/ask-seer-polling-<version>.tgz.
pack: pkg
	mkdir -p dist
	npm pack ./pkg --pack-destination dist

## Every relative link of README.md and docs/ names a file and heading that exist.
lint-docs:
	node scripts/check-links.mjs

## The build scripts and the React hook (its types read the built package).
lint-js: pkg
	npm --prefix js run lint

## Fails when an entry of the package outgrows its gzip -9 budget (js/budget.mjs).
test-size: pkg
	node js/budget.mjs

CONSUMER_TOOLS := consumers/node_modules/.package-lock.json

$(CONSUMER_TOOLS): consumers/package-lock.json
	npm --prefix consumers ci --no-audit --no-fund

## The packed tarball in one minimal project per setup (consumers/), installs cached in ~/.cache.
test-consumers: pack $(CONSUMER_TOOLS)
	npm --prefix consumers run lint
	node consumers/run.mjs dist/ask-seer-polling-$$(node -p 'require("./pkg/package.json").version').tgz

lint: setup
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

test-native:
	cargo test --release

test-wasm-node: setup
	$(FIXTURE_SERVER) -- wasm-pack test --release --node

# The suites run in Chromium too: WASM_BINDGEN_USE_BROWSER overrides their Node default.
test-wasm-chrome: setup
	WASM_BINDGEN_USE_BROWSER=1 $(FIXTURE_SERVER) -- wasm-pack test --release --headless --chrome --chromedriver $(CHROMEDRIVER)

# And in Firefox ESR, over geckodriver (a fresh profile per session).
test-wasm-firefox: setup
	WASM_BINDGEN_USE_BROWSER=1 $(FIXTURE_SERVER) -- wasm-pack test --release --headless --firefox --geckodriver $(GECKODRIVER)

# And in WebKit: wasm-pack's Safari mode drives WebKitGTK's WebKitWebDriver, which starts its
# MiniBrowser (the runner sends Safari no capabilities, so `--headless` is moot: xvfb-run gives
# the browser a display).
test-wasm-webkit: setup
	WASM_BINDGEN_USE_BROWSER=1 xvfb-run -a $(FIXTURE_SERVER) -- wasm-pack test --release --headless --safari --safaridriver $(WEBKITDRIVER)

## The React hook's unit tests (persistKey, StrictMode), against the built package.
test-react: pkg
	node --test js/src/react/tests/*.test.mjs

fuzz-short: setup
	fuzz/run.sh $(FUZZ_SECONDS)

fuzz: setup
	fuzz/run.sh 600

www: pkg
	npm --prefix www ci --no-audit --no-fund

test-www: www
	npm --prefix www run typecheck
	npm --prefix www run lint
	npm --prefix www test

## The end-to-end runs in Firefox and in WebKit (Safari's engine) over WebDriver (www/tests/engines/).
test-www-firefox: www
	GECKODRIVER=$(GECKODRIVER) npm --prefix www run test:firefox

test-www-webkit: www
	WEBKIT_WEBDRIVER=$(WEBKITDRIVER) npm --prefix www run test:webkit

# The bench's scale run at a small N, as a test: every run completes, one request in flight per poller.
test-bench: pkg
	npm --prefix bench ci --no-audit --no-fund
	npm --prefix bench run typecheck
	npm --prefix bench test

test: lint lint-docs test-contract test-native test-wasm-node test-wasm-chrome test-wasm-firefox test-wasm-webkit test-react fuzz-short lint-js test-www test-www-firefox test-www-webkit test-bench test-consumers test-size

demo: www
	npm --prefix www run demo

bench: www
	npm --prefix bench ci --no-audit --no-fund
	npm --prefix bench run bench

clean:
	cargo clean
	rm -rf pkg build dist js/node_modules consumers/node_modules www/node_modules www/dist www/dist-dev www/dist-lean www/test-artifacts bench/node_modules .tools
