#!/usr/bin/env bash
# Builds berth's Docker image (deploy/Dockerfile) with the test sandbox's dockerd, on a machine
# that cannot pull from a hub (what `make image` and the `image` test run):
#   1. every `FROM debian:SUITE-slim` base of the Dockerfile is made locally once:
#      `debootstrap --variant=minbase SUITE` into a tarball under $BERTH_IMAGE_CACHE (kept
#      between sandbox lives; about a minute, the suites in parallel), then `docker import`ed
#      as debian:SUITE-slim when the sandbox daemon does not have it yet (seconds);
#   2. `DOCKER_BUILDKIT=0 docker build --network host`: the classic builder, whose RUN steps
#      reach Debian's archive and npm through the host's network (the sandbox daemon has no
#      bridge network).
# Layers are cached by the sandbox daemon until `tests/sandbox/sandbox.sh down`.
#
#   scripts/build-image.sh [TAG]        (default berth:dev)
#
# Environment:
#   BERTH_SANDBOX_DIR    the sandbox whose daemon builds (default /tmp/berth-sandbox; must be up)
#   BERTH_IMAGE_CACHE    where bootstrapped bases are kept (default build/image-cache);
#                        delete a tarball there to bootstrap that suite afresh
#   BERTH_DEBIAN_MIRROR  Debian mirror for debootstrap (default: the one apt uses here)
# Needs root (debootstrap) and the packages debootstrap and docker.io (scripts/install-deps.sh).
# Never uses /var/run/docker.sock.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag="${1:-berth:dev}"
sandbox_dir="${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}"
cache="${BERTH_IMAGE_CACHE:-$root/build/image-cache}"
dockerfile="$root/deploy/Dockerfile"
sock="$sandbox_dir/docker.sock"
docker_cli="${BERTH_SANDBOX_DOCKER_CLI:-/usr/bin/docker}"

log() { printf 'image: %s\n' "$*" >&2; }
die() {
  printf 'image: ERROR: %s\n' "$*" >&2
  exit 1
}

dk() { DOCKER_HOST="unix://$sock" DOCKER_CONFIG="$sandbox_dir/docker-config" "$docker_cli" "$@"; }

[[ -x "$docker_cli" ]] || die "docker CLI $docker_cli not found (apt-get install docker.io)"
curl -fsS --max-time 5 --unix-socket "$sock" -o /dev/null http://docker/_ping ||
  die "the sandbox dockerd does not answer on $sock: run tests/sandbox/sandbox.sh up" \
    "(with the same BERTH_SANDBOX_DIR)"

# The mirror apt on this machine uses (debian.sources or sources.list), so debootstrap goes
# where apt already can; empty means debootstrap's own default.
debian_mirror() {
  if [[ -n "${BERTH_DEBIAN_MIRROR:-}" ]]; then
    echo "$BERTH_DEBIAN_MIRROR"
    return
  fi
  cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -v '^[[:space:]]*#' |
    grep -oE '(https?)://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true
}

# ensure_base SUITE: debian:SUITE-slim in the sandbox daemon, from the cached tarball.
ensure_base() {
  local suite="$1" image="debian:$1-slim" tarball="$cache/debian-$1-minbase.tar"
  if dk image inspect "$image" >/dev/null 2>&1; then
    log "$image present in the sandbox daemon"
    return
  fi
  if [[ ! -s "$tarball" ]]; then
    command -v debootstrap >/dev/null || PATH="$PATH:/usr/sbin:/sbin"
    command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install debootstrap)"
    [[ $(id -u) -eq 0 ]] || die "debootstrap needs root to make $tarball"
    local mirror dir t=$SECONDS
    mirror="$(debian_mirror)"
    mkdir -p "$cache"
    dir="$(mktemp -d "$cache/debootstrap-$suite.XXXXXX")"
    log "bootstrapping Debian $suite (minbase) from ${mirror:-the default mirror of debootstrap}"
    if ! debootstrap --variant=minbase "$suite" "$dir" ${mirror:+"$mirror"} >"$cache/debootstrap-$suite.log" 2>&1; then
      tail -n 20 "$cache/debootstrap-$suite.log" >&2
      rm -rf --one-file-system "$dir"
      die "debootstrap $suite failed (log: $cache/debootstrap-$suite.log)"
    fi
    # Like the Docker Hub image: the suite's updates and security archives too (debootstrap
    # writes the main suite alone), no translations to download, and no downloaded packages,
    # package lists or logs left in it.
    local archive="${mirror:-http://deb.debian.org/debian}"
    printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' \
      "$archive" "$suite" "$archive" "$suite" "${archive%/debian*}/debian-security" "$suite" \
      >"$dir/etc/apt/sources.list"
    echo 'Acquire::Languages "none";' >"$dir/etc/apt/apt.conf.d/docker-no-languages"
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/*.log
    tar -C "$dir" --numeric-owner -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf --one-file-system "$dir"
    log "bootstrapped $suite in $((SECONDS - t)) s: $tarball ($(du -m "$tarball" | cut -f1) MB)"
  fi
  dk import -c 'CMD ["bash"]' "$tarball" "$image" >/dev/null || die "docker import of $tarball failed"
  log "imported $image from $tarball"
}

mapfile -t suites < <(sed -nE 's/^FROM[[:space:]]+debian:([a-z]+)-slim.*/\1/p' "$dockerfile" | sort -u)
# The bases side by side: each bootstrap mostly waits for the mirror and the disk.
t=$SECONDS
pids=()
for suite in "${suites[@]}"; do
  ensure_base "$suite" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || die "the base images are not all there (see above)"; done
log "bases ready in $((SECONDS - t)) s (${suites[*]})"

# Locally added CA certificates (Debian's place for them): a TLS-intercepting proxy between this
# machine and the npm registry signs with one of these, and the web stage must trust it too.
extra_ca=""
for f in /usr/local/share/ca-certificates/*.crt; do
  [[ -f "$f" ]] && extra_ca+="$(cat "$f")"$'\n'
done

# Passes docker build's output through and remembers when each stage (from its `FROM` step)
# and each step began (the classic builder prints no times), so that the summary can say where
# the time went: every stage, and the steps that took 10 s or more.
time_stages() {
  local line stage="" began=$SECONDS step="" step_began=$SECONDS
  while IFS= read -r line; do
    printf '%s\n' "$line"
    [[ "$line" =~ ^Step\ ([0-9]+)/[0-9]+\ : ]] || continue
    if [[ -n "$step" ]] && ((SECONDS - step_began >= 10)); then
      printf 'step %s %d s, ' "$step" $((SECONDS - step_began)) >>"$step_log"
    fi
    step="${BASH_REMATCH[1]}" step_began=$SECONDS
    if [[ "$line" =~ ^Step\ [0-9]+/[0-9]+\ :\ FROM\ ([^ ]+)(\ AS\ ([^ ]+))? ]]; then
      [[ -n "$stage" ]] && printf '%s %d s, ' "$stage" $((SECONDS - began)) >>"$stage_log"
      stage="${BASH_REMATCH[3]:-${BASH_REMATCH[1]}}"
      began=$SECONDS
    fi
  done
  if [[ -n "$step" ]] && ((SECONDS - step_began >= 10)); then
    printf 'step %s %d s' "$step" $((SECONDS - step_began)) >>"$step_log"
  fi
  [[ -n "$stage" ]] && printf '%s %d s' "$stage" $((SECONDS - began)) >>"$stage_log"
  return 0
}

t=$SECONDS
stage_log="$(mktemp)" step_log="$(mktemp)"
trap 'rm -f "$stage_log" "$step_log"' EXIT
log "building $tag (deploy/Dockerfile, classic builder, host network)"
DOCKER_BUILDKIT=0 dk build --network host --force-rm --build-arg EXTRA_CA_CERTS="$extra_ca" \
  -f "$dockerfile" -t "$tag" "$root" 2>&1 | time_stages ||
  die "docker build of $tag failed (output above)"
size="$(dk image inspect --format '{{.Size}}' "$tag")"
log "built $tag in $((SECONDS - t)) s (stages: $(cat "$stage_log"); slow steps:" \
  "$(sed 's/, $//' "$step_log" | grep . || echo none)); image size $((size / 1000000)) MB ($size bytes)"
