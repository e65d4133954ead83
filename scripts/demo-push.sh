#!/usr/bin/env bash
# Pushes a tag of the sandbox's test image as the demo image: `scripts/demo-push.sh v2` makes
# 127.0.0.1:15000/berth-demo/app:v2 appear in the sandbox registry, as a CI pipeline would.
# The running `make demo` notices it within one poll interval (5 s) and deploys it to staging.
# Tags: v1 v2 v3 (healthy), unhealthy, crash, slow (see tests/sandbox/README.md).
set -euo pipefail
tag=${1:?usage: scripts/demo-push.sh TAG   (v1, v2, v3, unhealthy, crash or slow)}
sandbox_dir=${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}
[[ -s "$sandbox_dir/env" ]] || { echo "demo-push: the sandbox is not up (make demo starts it)" >&2; exit 1; }
# shellcheck disable=SC1091
source "$sandbox_dir/env"
dk() {
  DOCKER_HOST="$BERTH_SANDBOX_DOCKER_HOST" DOCKER_CONFIG="$BERTH_SANDBOX_DOCKER_CONFIG" \
    "$BERTH_SANDBOX_DOCKER_CLI" "$@"
}
src="$BERTH_SANDBOX_REGISTRY/$BERTH_SANDBOX_IMAGE_REPO:$tag"
dst="$BERTH_SANDBOX_REGISTRY/berth-demo/app:$tag"
dk image inspect "$src" >/dev/null 2>&1 || { echo "demo-push: no test image $src" >&2; exit 1; }
dk tag "$src" "$dst"
dk push -q "$dst" >/dev/null
echo "pushed $dst"
