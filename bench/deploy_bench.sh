#!/usr/bin/env bash
# Deploy engine end to end: deploy latency next to the docker-run floor, and failed requests
# during back-to-back blue-green deploys for two kinds of client.
#
#   bench/deploy_bench.sh [BUILD_DIR]     (needs: tests/sandbox/sandbox.sh up, wrk)
#
# Runs berth_deploy_latency_tool (the real Engine, driver nginx, reach host, blue-green, one
# replica) against the sandbox. The tool measures the latency (LATENCY_RUNS deploys) and then
# runs LOAD_DEPLOYS deploys (v1/v2 alternating) under its own new-connection-per-request client;
# as soon as it reaches that phase this script starts a keep-alive wrk (-t1 -c$CONNS) through
# the same nginx, bounded by WRK_MAX seconds and stopped (SIGINT, it prints its summary) when
# the deploys are done, before the tool removes the route. Everything is bounded and on loopback. Prints a Markdown summary;
# BENCHMARKS.md has the last results.
set -euo pipefail

build=${1:-build}
D=${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}
LATENCY_RUNS=${LATENCY_RUNS:-5}
LOAD_DEPLOYS=${LOAD_DEPLOYS:-20}
INTERVAL_MS=${INTERVAL_MS:-100}
DRAIN_MS=${DRAIN_MS:-2000}
CONNS=${CONNS:-8}
WRK_MAX=${WRK_MAX:-300}
tool="$build/bench/berth_deploy_latency_tool"

[[ -x "$tool" ]] || { echo "build $tool first (cmake --build $build --target berth_deploy_latency_tool)" >&2; exit 1; }
[[ -f "$D/env" ]] || { echo "sandbox not running: tests/sandbox/sandbox.sh up" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps.sh" >&2; exit 1; }
# shellcheck disable=SC1091
source "$D/env"

work=$(mktemp -d)
tool_pid="" wrk_pid=""
cleanup() {
  [[ -n "$wrk_pid" ]] && kill "$wrk_pid" 2>/dev/null
  [[ -n "$tool_pid" ]] && kill "$tool_pid" 2>/dev/null && wait "$tool_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The tool's docker CLI (the floor's `docker run`) talks to the sandbox daemon.
export DOCKER_HOST="$BERTH_SANDBOX_DOCKER_HOST" DOCKER_CONFIG="$BERTH_SANDBOX_DOCKER_CONFIG"
export PATH="$(dirname "$BERTH_SANDBOX_DOCKER_CLI"):$PATH"

"$tool" --docker-host "$BERTH_SANDBOX_DOCKER_HOST" --nginx "$BERTH_SANDBOX_NGINX" \
  --conf-dir "$BERTH_SANDBOX_NGINX_CONF_DIR" --test-cmd "$BERTH_SANDBOX_NGINX_TEST_CMD" \
  --reload-cmd "$BERTH_SANDBOX_NGINX_RELOAD_CMD" \
  --image "$BERTH_SANDBOX_REGISTRY/$BERTH_SANDBOX_IMAGE_REPO" --port "$BERTH_SANDBOX_IMAGE_PORT" \
  --latency-runs "$LATENCY_RUNS" --load-deploys "$LOAD_DEPLOYS" --interval-ms "$INTERVAL_MS" \
  --drain-ms "$DRAIN_MS" --ready-file "$work/ready" >"$work/tool.txt" &
tool_pid=$!

# Start the keep-alive client when the tool reaches the load phase.
while kill -0 "$tool_pid" 2>/dev/null && [[ ! -e "$work/ready" ]]; do sleep 0.1; done
if [[ -e "$work/ready" ]]; then
  domain=$(cat "$work/ready")  # the stage's domain
  wrk -t1 -c"$CONNS" -d"${WRK_MAX}s" -H "Host: $domain" "http://$BERTH_SANDBOX_NGINX/" >"$work/wrk.txt" 2>&1 &
  wrk_pid=$!
fi
# Stop wrk when the deploys are done (before the tool removes the route), then let it go on.
while kill -0 "$tool_pid" 2>/dev/null && [[ ! -e "$work/ready.done" ]]; do sleep 0.1; done
if [[ -n "$wrk_pid" ]]; then
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" || true
  wrk_pid=""
fi
rm -f "$work/ready"
set +e
wait "$tool_pid"
tool_rc=$?
set -e
tool_pid=""

val() { sed -n "s/^$1=//p" "$work/tool.txt"; }
cat "$work/tool.txt" >&2
[[ -f "$work/wrk.txt" ]] && cat "$work/wrk.txt" >&2
wrk_requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.txt" 2>/dev/null)
wrk_errors=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p' "$work/wrk.txt" 2>/dev/null)
wrk_non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$work/wrk.txt" 2>/dev/null)
wrk_detail=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$work/wrk.txt" 2>/dev/null)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
echo "Measured $(date -u +%Y-%m-%d) on $cpu, $(nproc) cores, nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'); health interval ${INTERVAL_MS} ms, drain ${DRAIN_MS} ms."
echo
echo "| measurement | median (ms) | runs (ms) |"
echo "|---|---|---|"
echo "| floor: \`docker run\` + first 200 from /healthz | $(val floor_median_ms) | $(val floor_ms) |"
echo "| deploy: enqueue → new version answers through nginx | $(val deploy_median_ms) | $(val deploy_ms) |"
echo "| of the floor: until \`docker run -d\` returned (CLI, create, start) | $(val docker_run_median_ms) | |"
printf '| ratio deploy / floor | %.2fx | |\n' "$(val ratio)"
echo
echo "| client during $(val load_deploys) blue-green deploys ($(val load_seconds) s, $(val load_succeeded) succeeded) | requests | failed | errors |"
echo "|---|---|---|---|"
echo "| new connection per request (tool) | $(val load_requests) | **$(val load_failed)** | $(val load_first_failure) |"
echo "| wrk -t1 -c$CONNS keep-alive | ${wrk_requests:-?} | **$(( ${wrk_errors:-0} + ${wrk_non2xx:-0} ))** | ${wrk_detail:-none}; non-2xx ${wrk_non2xx:-0} |"
exit "$tool_rc"
