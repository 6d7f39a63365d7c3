# Shared by the scripts in .ci/: pinned tool versions and idempotent installs.
# Sourced, not run.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"      # 0.3.11 needs a newer rustc than the machine's 1.95
WASM_BINDGEN_VERSION="0.2.130"     # must equal the wasm-bindgen pin in Cargo.toml
BINARYEN_VERSION="123"             # Debian's binaryen (108) emits wasm that fails to hydrate
export PATH="$HOME/.cargo/bin:$PATH"
# cargo-leptos adds exactly this flag to its builds (to debug builds always,
# to release builds because Cargo.toml asks for `always-erase-components`);
# plain cargo commands use it too so that tests, clippy and `cargo leptos
# build` share compiled dependencies instead of rebuilding them.
DEBUG_RUSTFLAGS="--cfg erase_components"
unset RUSTFLAGS

# Compiled dependencies are shared by every checkout of Reverie on this
# machine: `target/` is a link to a build directory under the user's cache,
# one per toolchain (each profile and target already has its own folder in
# it, and cargo locks it while building). The workspace's own crates are
# still compiled from the checkout's sources: see `use_shared_target`.
BUILD_CACHE="${REVERIE_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reverie}"

# Each step says how far into the run it starts, so slow steps show.
step() { printf '\n==> [%d s] %s\n' "$SECONDS" "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

source "$REPO_ROOT/.ci/audit.sh"

install_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [[ "$(cargo leptos --version 2>/dev/null || true)" != *" $CARGO_LEPTOS_VERSION"* ]]; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes about 15 minutes on 2 cores)"
    # Thin builds of the tool itself: its default fat LTO doubles the time.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --force
  fi
  if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != *" $WASM_BINDGEN_VERSION"* ]]; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: one of its locked dependencies is no longer on crates.io.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if [[ "$(wasm-opt --version 2>/dev/null || true)" != *"version $BINARYEN_VERSION"* ]]; then
    step "installing wasm-opt (binaryen $BINARYEN_VERSION) from npm"
    npm install --global --no-audit --no-fund "binaryen@$BINARYEN_VERSION.0.0"
    hash -r
    [[ "$(wasm-opt --version 2>/dev/null || true)" == *"version $BINARYEN_VERSION"* ]] ||
      fail "wasm-opt on PATH is $(command -v wasm-opt) ($(wasm-opt --version 2>&1 || true)), not binaryen $BINARYEN_VERSION"
  fi
}

install_browser_tools() {
  if [[ ! -x /usr/bin/chromium ]]; then
    step "installing Debian's chromium"
    local sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
  fi
  # npm records what it installed in node_modules/.package-lock.json: newer
  # than the lock file means the install is current.
  if [[ ! -d "$REPO_ROOT/end2end/node_modules/@playwright/test" ]] ||
     [[ ! "$REPO_ROOT/end2end/node_modules/.package-lock.json" -nt "$REPO_ROOT/end2end/package-lock.json" ]]; then
    step "installing the end-to-end test packages"
    (cd "$REPO_ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
}

# Prints the PostgreSQL URL the integration suite uses.
postgres_test_url() {
  echo "${REVERIE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
}

postgres_reachable() {
  local url
  url="$(postgres_test_url)"
  if command -v psql >/dev/null; then
    psql "$url" -Atqc 'select 1' >/dev/null 2>&1
  else
    # Without psql, at least require the port to answer.
    local hostport="${url#*@}"; hostport="${hostport%%/*}"
    (exec 3<>"/dev/tcp/${hostport%%:*}/${hostport##*:}") 2>/dev/null
  fi
}

# Points `target/` at the shared build directory of this toolchain (unless
# the checkout already has a real `target/` of its own, which is kept).
#
# Cargo decides whether a workspace crate is fresh by comparing its source
# files' times with its last build. A checkout made before another checkout
# last built in the shared directory would look older than that build and be
# skipped, so when the last build there came from another checkout, this
# checkout's sources are touched first: they are always what gets compiled.
use_shared_target() {
  local toolchain dir marker
  toolchain="$(rustc -vV | sha256sum | cut -c1-12)"
  dir="$BUILD_CACHE/target-$toolchain"
  if [[ -L "$REPO_ROOT/target" || ! -e "$REPO_ROOT/target" ]]; then
    mkdir -p "$dir"
    ln -sfn "$dir" "$REPO_ROOT/target"
  fi
  dir="$(cd "$REPO_ROOT/target" && pwd -P)"
  marker="$dir/.last-checkout"
  if [[ -f "$marker" && "$(cat "$marker")" != "$REPO_ROOT" ]]; then
    (cd "$REPO_ROOT" && find Cargo.toml Cargo.lock app server migrations style public -type f -print0 |
      xargs -0 -r touch --no-create)
  fi
  printf '%s\n' "$REPO_ROOT" >"$marker"
}

# The release build the browser tests and `.ci/serve` use: the bundle's
# files named after their content's hash (`hash-files` in Cargo.toml) and,
# with --precompress, a brotli (.br) and a gzip (.gz) copy of every file of
# the site beside it, which the server sends when the browser accepts them.
build_release() {
  # Again here (it does nothing when this checkout built last): a release
  # build right after another checkout's would otherwise take its binary.
  [[ -n "${CARGO_TARGET_DIR:-}" ]] || use_shared_target
  cargo leptos build --release --precompress
}

# The hydration bundle (WebAssembly) as sent with brotli may not exceed this
# many bytes: the size measured on 2026-12-01 with views type-erased
# (755,011) rounded up a little, as a ceiling against growth. Issue 14 asks
# for 300,000; see BENCHMARKS.md ("The hydration bundle") for what is in it
# and what would meet that.
WASM_BROTLI_BUDGET_BYTES=780000

# Fails when the release build's WebAssembly, as the server sends it with
# brotli (the .br file --precompress wrote), exceeds the budget.
check_wasm_budget() {
  local pkg="$REPO_ROOT/target/site/pkg" compressed=() size
  # The newest one: the shared build directory keeps earlier builds' hashed files.
  shopt -s nullglob
  compressed=("$pkg"/*.wasm.br)
  shopt -u nullglob
  ((${#compressed[@]} >= 1)) ||
    fail "expected a precompressed WebAssembly file (*.wasm.br) in $pkg: run build_release"
  compressed=("$(ls -t "${compressed[@]}" | head -n 1)")
  size="$(stat -c %s "${compressed[0]}")"
  printf 'WebAssembly bundle: %d bytes with brotli (budget %d), %d bytes uncompressed\n' \
    "$size" "$WASM_BROTLI_BUDGET_BYTES" "$(stat -c %s "${compressed[0]%.br}")"
  ((size <= WASM_BROTLI_BUDGET_BYTES)) ||
    fail "the WebAssembly bundle is $size bytes with brotli, over its budget of $WASM_BROTLI_BUDGET_BYTES (see BENCHMARKS.md)"
}
