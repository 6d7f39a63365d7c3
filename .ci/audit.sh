# Offline dependency audit: cargo-deny against a RustSec advisory database
# snapshot (advisories, licenses, sources, bans; configured in deny.toml).
# Sourced after .ci/lib.sh (uses its REPO_ROOT, step and fail), not run.
#
#   install_audit_tool     installs the pinned cargo-deny unless present
#   run_dependency_audit   runs the check; exits non-zero on any finding
#
# The database: $REVERIE_ADVISORY_DB if set, else shared/advisory-db beside
# the repository, else /work/shared/advisory-db. It holds the `crates/` folder
# of rustsec/advisory-db; nothing is ever fetched from the network.

CARGO_DENY_VERSION="0.20.2"   # builds with rustc 1.95 (needs 1.88)
# Where cargo-deny looks for the database named by `db-urls` in deny.toml:
# <db-path>/<last URL segment>-<xxhash64 of the URL>. Tied to that URL (and to
# cargo-deny's naming scheme): if either changes, the audit fails with
# "failed to get HEAD timestamp ... cannot change to '<path>'", naming the
# directory to put here.
AUDIT_DB_DIRNAME="advisory-db-040e49a6caea2d6c"
# The snapshot is refreshed by hand; older than this, the audit says so
# (without failing: an old snapshot is not something a change can fix).
AUDIT_DB_WARN_AGE_DAYS=90

install_audit_tool() {
  if [[ "$(cargo deny --version 2>/dev/null || true)" != "cargo-deny $CARGO_DENY_VERSION" ]]; then
    step "installing cargo-deny $CARGO_DENY_VERSION (takes about 5 minutes on 2 cores)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked --force
    [[ "$(cargo deny --version 2>/dev/null || true)" == "cargo-deny $CARGO_DENY_VERSION" ]] ||
      fail "cargo deny on PATH is $(command -v cargo-deny || echo missing) ($(cargo deny --version 2>&1 || true)), not $CARGO_DENY_VERSION"
  fi
}

# Prints the advisory database directory (the one holding crates/), or fails.
advisory_db_source() {
  local db
  if [[ -n "${REVERIE_ADVISORY_DB:-}" ]]; then
    db="$REVERIE_ADVISORY_DB"
    [[ -d "$db/crates" ]] ||
      fail "REVERIE_ADVISORY_DB=$db is not a RustSec advisory database (no crates/ folder in it)"
  elif [[ -d "$REPO_ROOT/../shared/advisory-db/crates" ]]; then
    db="$REPO_ROOT/../shared/advisory-db"
  elif [[ -d /work/shared/advisory-db/crates ]]; then
    db=/work/shared/advisory-db
  else
    fail "no RustSec advisory database: looked in $REPO_ROOT/../shared/advisory-db and /work/shared/advisory-db; set REVERIE_ADVISORY_DB to a directory holding the advisory-db's crates/ folder"
  fi
  (cd "$db" && pwd)
}

# A subshell, so that its EXIT trap removes the temporary copy whatever
# happens, without touching the caller's traps.
run_dependency_audit() (
  set -euo pipefail
  local db tmp repo snapshot_date age_days start
  start=$SECONDS
  command -v cargo-deny >/dev/null ||
    fail "cargo-deny is not installed (run install_audit_tool)"
  db="$(advisory_db_source)" || exit 1

  step "dependency audit: cargo-deny $CARGO_DENY_VERSION against $db"
  # In memory when possible: copying and deleting ~1200 small files on disk
  # takes seconds on a busy machine, in /dev/shm a fraction of one.
  local tmp_base="${TMPDIR:-/tmp}"
  [[ -n "${TMPDIR:-}" || ! -d /dev/shm || ! -w /dev/shm ]] || tmp_base=/dev/shm
  tmp="$(mktemp -d "$tmp_base/reverie-audit.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT

  # cargo-deny wants the database as a git checkout: it reads the advisories
  # from crates/ and the time of the last fetch (or of HEAD) from git. The
  # shared copy is read-only and not a repository: copy it and give it a
  # commit dated as the snapshot (an empty one: cargo-deny reads the files,
  # not git's objects, and committing 1200 files only costs time).
  repo="$tmp/advisory-dbs/$AUDIT_DB_DIRNAME"
  mkdir -p "$repo"
  cp -R "$db/." "$repo/"
  chmod -R u+w "$repo"
  snapshot_date="$(grep -oE '\b20[0-9]{2}-[0-9]{2}-[0-9]{2}\b' "$db/SNAPSHOT.md" 2>/dev/null | head -n1 || true)"
  (
    cd "$repo"
    export GIT_AUTHOR_DATE="${snapshot_date:+${snapshot_date}T00:00:00Z}"
    export GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
    [[ -n "$GIT_AUTHOR_DATE" ]] || unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE
    git init -q -b main
    git -c user.name="Reverie audit" -c user.email=audit@reverie.invalid \
      -c commit.gpgsign=false commit -q --no-verify --allow-empty -m "RustSec advisory-db snapshot ${snapshot_date:-(undated)}"
  ) || fail "could not prepare a git copy of the advisory database in $repo"

  if [[ -n "$snapshot_date" ]]; then
    age_days=$(( ($(date -u +%s) - $(date -u -d "$snapshot_date" +%s)) / 86400 ))
    echo "advisory database snapshot of $snapshot_date ($age_days days old), $(find "$repo/crates" -name '*.md' | wc -l) advisories"
    if (( age_days > AUDIT_DB_WARN_AGE_DAYS )); then
      echo "WARNING: the advisory database snapshot is more than $AUDIT_DB_WARN_AGE_DAYS days old: advisories published since $snapshot_date are not checked (refresh shared/advisory-db)"
    fi
  fi

  # cargo metadata (inside cargo-deny) needs every locked crate, for all
  # platforms, in the local cache; this needs no network when they are there
  # and otherwise downloads them from crates.io. The check itself is offline.
  (cd "$REPO_ROOT" && cargo fetch --locked --quiet) ||
    fail "cargo fetch --locked failed: the audit needs all crates in Cargo.lock in the local cache"

  # --offline: nothing fetched (no database update, no registry access).
  # --deny unknown-advisory: an ignored id that is not in the database fails,
  # so a truncated or wrong database (or a mistyped id) cannot pass quietly.
  if ! REVERIE_AUDIT_DB_ROOT="$tmp/advisory-dbs" cargo deny --offline --locked --color never \
      --manifest-path "$REPO_ROOT/Cargo.toml" --config "$REPO_ROOT/deny.toml" \
      check --show-stats --deny unknown-advisory advisories bans licenses sources; then
    fail "dependency audit (cargo deny check, see above): a vulnerability, unmaintained or unsound advisory, license, source or ban finding; fix the dependency or, for an advisory we must accept, add it to deny.toml's ignore list with a reason"
  fi
  echo "dependency audit passed in $(( SECONDS - start ))s"
)
