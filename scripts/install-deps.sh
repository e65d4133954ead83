#!/usr/bin/env bash
# Installs the Debian packages berth needs to build, test and run its test sandbox.
# Idempotent: asks apt only for what is missing, so a second run takes a fraction of a second.
#
#   scripts/install-deps.sh                  everything (what `make deps` does)
#   scripts/install-deps.sh GROUP...         only these groups: build, runtime, dev
# The Docker image's build stage runs `install-deps.sh build runtime`, so the package list
# lives here only.
set -euo pipefail

# Compiling berth (the `berth` target, -DBERTH_TESTS=OFF); python3 embeds the dashboard.
build_packages=(
  g++ cmake ninja-build pkg-config make python3
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev libcurl4-openssl-dev libboost-dev libssl-dev
  libcrypt-dev
)
# What berth needs at run time besides its shared libraries: CA certificates for HTTPS.
runtime_packages=(ca-certificates)
dev_packages=(
  # developer tools
  ccache clang-format git
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev wrk
  # test sandbox (tests/sandbox/sandbox.sh): private dockerd, registries, nginx, test images
  docker.io docker-registry nginx-light busybox-static apache2-utils curl
  iproute2 iptables openssl
  # the Docker image (make image bootstraps its Debian bases) and the compose file's check
  debootstrap docker-compose
  # dashboard end-to-end tests (playwright-core drives Debian's chromium; no browser download)
  chromium
)

groups=("$@")
((${#groups[@]} > 0)) || groups=(build runtime dev)
packages=()
with_dev=0
for g in "${groups[@]}"; do
  case "$g" in
    build) packages+=("${build_packages[@]}") ;;
    runtime) packages+=("${runtime_packages[@]}") ;;
    dev) packages+=("${dev_packages[@]}") with_dev=1 ;;
    *) echo "deps: unknown group '$g' (groups: build, runtime, dev)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# npm packages: the test sandbox's OIDC provider (tests/sandbox/oidc, versions pinned by its
# package-lock.json). Needs Node.js >= 20 and npm, which this machine kind has. The dashboard's
# own packages (web/) are installed by the build (`npm ci` when web/package-lock.json changes).
npm_deps() {
  ((with_dev)) || return 0
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/sandbox/oidc"
  if ! command -v npm >/dev/null; then
    echo "deps: npm not found: the sandbox's OIDC provider cannot be installed" >&2
    return 0
  fi
  if [[ -d "$dir/node_modules/oidc-provider" && "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]]; then
    return 0
  fi
  echo "deps: npm ci in tests/sandbox/oidc"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "deps: all ${#packages[@]} Debian packages present"
  npm_deps
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "deps: installing ${missing[*]}"
# docker.io, docker-registry and nginx would start (and enable) system services from their
# package scripts. berth's tests never use those: the sandbox starts private ones, and a system
# dockerd would rewrite the host firewall. A policy-rc.d that refuses every start is honoured by
# invoke-rc.d and deb-systemd-invoke alike; ours is removed again afterwards.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\n# temporary, from berth scripts/install-deps.sh\nexit 101\n' | $sudo tee $policy >/dev/null
  $sudo chmod +x $policy
  trap '$sudo rm -f $policy' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
npm_deps
