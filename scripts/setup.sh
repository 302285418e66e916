#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there. Versions are pinned.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_PACK_VERSION=0.15.1
BINARYEN_VERSION=132.0.0
CARGO_FUZZ_VERSION=0.13.2
TWIGGY_VERSION=0.8.0
GECKODRIVER_VERSION=0.36.0
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  step "wasm-pack $WASM_PACK_VERSION"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
  # Its own lockfile names a crate version the registry no longer serves, so no --locked.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(twiggy --version 2>/dev/null | awk '{print $2}')" != "$TWIGGY_VERSION" ]; then
  step "twiggy $TWIGGY_VERSION (the size breakdown of make bench)"
  cargo install twiggy --version "$TWIGGY_VERSION" --locked --force
fi

if [ "$(.tools/node_modules/.bin/wasm-opt --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  step "wasm-opt (npm binaryen $BINARYEN_VERSION)"
  mkdir -p .tools
  npm install --prefix .tools --no-save --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
fi

# The browsers of the tests: Chromium, Firefox ESR and WebKitGTK (the WebKit engine of Safari,
# driven through its MiniBrowser, which needs a display: xvfb-run gives one), each with its
# WebDriver server. Debian's packages follow its security updates; geckodriver is pinned.
if [ "${SETUP_BROWSER:-1}" = 1 ]; then
  apt_packages=()
  command -v chromium >/dev/null || apt_packages+=(chromium)
  command -v chromedriver >/dev/null || apt_packages+=(chromium-driver)
  command -v firefox-esr >/dev/null || apt_packages+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || apt_packages+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || apt_packages+=(xvfb xauth)
  if [ ${#apt_packages[@]} -gt 0 ]; then
    step "${apt_packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}"
  fi
  if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}')" != "$GECKODRIVER_VERSION" ]; then
    step "geckodriver $GECKODRIVER_VERSION (Firefox's WebDriver server)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --force
  fi
fi

if [ "${SETUP_FUZZ:-1}" = 1 ] && [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  step "cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
fi
