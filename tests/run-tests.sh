#!/usr/bin/env bash
# Runs berth's test suites against an already built tree (what `make test` calls):
#   1. unit tests                      ctest -L unit
#   2. the test sandbox                tests/sandbox/sandbox.sh up
#   3. integration tests               ctest -L integration
#   4. the Docker image                scripts/build-image.sh, then ctest -L image
# and ALWAYS brings the sandbox down again afterwards (also on failure or Ctrl-C).
# Exits non-zero if any step failed. CI=true is passed through: integration tests then fail
# instead of skipping when the sandbox is missing.
#
#   tests/run-tests.sh [BUILD_DIR]     (default: build, relative to the repository root)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-build}"
if [[ "$build" != /* && ! -d "$build" ]]; then build="$root/$build"; fi
sandbox="$root/tests/sandbox/sandbox.sh"
jobs="$(nproc 2>/dev/null || echo 2)"

say() { printf '\n==> %s\n' "$*"; }

[[ -f "$build/CTestTestfile.cmake" ]] ||
  { echo "run-tests: $build is not a configured build directory (build first)" >&2; exit 2; }

failed=()
holds_sandbox=0 # set once we hold the sandbox lock; only then is the sandbox ours to bring down
step_time() { printf '%ds' $((SECONDS - $1)); }

down() {
  say "sandbox down"
  "$sandbox" down || failed+=("sandbox down")
}

finish() {
  local rc=$?
  trap - EXIT INT TERM
  if ((holds_sandbox)); then down; fi
  echo
  if ((${#failed[@]} == 0 && rc == 0)); then
    echo "run-tests: all steps passed"
    exit 0
  fi
  echo "run-tests: FAILED: ${failed[*]:-interrupted (exit $rc)}" >&2
  exit 1
}
trap finish EXIT
trap 'exit 130' INT TERM

say "unit tests ($build)"
t=$SECONDS
if ! ctest --test-dir "$build" -L unit --output-on-failure -j "$jobs"; then
  failed+=("unit tests")
fi
echo "unit tests: $(step_time "$t")"

# One sandbox per machine (fixed ports, one state dir): if another run of this script is using
# it, wait for that run to finish rather than share it and have it torn down underneath us.
lock="${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}.lock"
exec 9>"$lock"
if ! flock -n 9; then
  echo "run-tests: another test run holds $lock; waiting for it (up to 20 min)"
  flock -w 1200 9 || { failed+=("sandbox lock"); exit 1; }
fi
holds_sandbox=1

say "sandbox up"
t=$SECONDS
# 9>&-: the services it starts must not inherit (and so hold) the lock.
if "$sandbox" up 9>&-; then
  echo "sandbox up: $(step_time "$t")"
  say "integration tests (CI=${CI:-unset})"
  t=$SECONDS
  # Serial: the tests share the sandbox's images and tags.
  if ! ctest --test-dir "$build" -L integration --output-on-failure; then
    failed+=("integration tests")
  fi
  echo "integration tests: $(step_time "$t")"
  # The packaging: the Docker image built by the sandbox daemon (from debootstrapped bases,
  # cached in the build directory), then the tests that run it and the compose file.
  say "image build (scripts/build-image.sh)"
  t=$SECONDS
  if BERTH_IMAGE_CACHE="${BERTH_IMAGE_CACHE:-$(cd "$build" && pwd)/image-cache}" \
    "$root/scripts/build-image.sh" berth:dev 9>&-; then
    echo "image build: $(step_time "$t")"
    say "image tests"
    t=$SECONDS
    if ! ctest --test-dir "$build" -L image --output-on-failure; then
      failed+=("image tests")
    fi
    echo "image tests: $(step_time "$t")"
  else
    failed+=("image build")
  fi
else
  failed+=("sandbox up")
  echo "run-tests: sandbox did not come up; integration tests not run" >&2
fi
