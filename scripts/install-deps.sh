#!/usr/bin/env bash
# Installs the Debian packages berth needs to build, test and run its test sandbox.
# Idempotent: asks apt only for what is missing, so a second run takes a fraction of a second.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build ccache pkg-config make clang-format git
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev libcurl4-openssl-dev libboost-dev libssl-dev
  libcrypt-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev wrk
  # test sandbox (tests/sandbox/sandbox.sh): private dockerd, registries, nginx, test images
  docker.io docker-registry nginx-light busybox-static apache2-utils curl ca-certificates
  iproute2 iptables openssl
  # benchmarks report
  python3
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "deps: all ${#packages[@]} Debian packages present"
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
