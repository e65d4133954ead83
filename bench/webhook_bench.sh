#!/usr/bin/env bash
# Webhook requests per second with HMAC verification: the real `berth serve` next to nginx
# serving a static 200, same machine, same run, same wrk settings.
#
#   bench/webhook_bench.sh [BUILD_DIR]     (needs: tests/sandbox/sandbox.sh up, wrk, nginx)
#
# berth: `BUILD_DIR/berth serve --config <generated> --listen 127.0.0.1:<free port> --no-poll`
# with a fresh data dir, docker.host the sandbox daemon (berth serve needs a reachable Docker
# at start-up), proxy driver none, and one project whose stage follows `^v[0-9]+$` and whose
# webhook_secret_env is set. wrk POSTs one fixed generic payload, {"tag":"bench-no-match"},
# signed with X-Hub-Signature-256 (HMAC-SHA256 of the body with the secret, computed once
# here with openssl). The tag matches no stage's policy, so every answer is 202 with
# `"deploys":[]` and nothing reaches the registry or the engine: each request is HTTP +
# configuration read + HMAC check + JSON parsing + tag policy + the answer. "failed" is wrk's
# socket errors plus its non-2xx count; 202 is the only 2xx this handler gives (401, 400 and
# 503 are not), so failed = 0 means every answer was 202.
#
# Rows (each wrk -t$THREADS -c$CONNS -d${DURATION}s, keep-alive):
#   nginx   static `return 200` on the same POST (own nginx, worker_processes 1, access log to
#           a file): the reference
#   berth   POST /api/webhook/bench, berth's log (one JSON access line per request plus its
#           "webhook received" line) to a file; then with --log-level warn (no per-request
#           lines), and GET /healthz (same server, no handler work) to separate the server's
#           own cost from the webhook handler's.
# Everything is on loopback and bounded (DURATION seconds per row). Prints a Markdown table;
# BENCHMARKS.md has the last results.
set -euo pipefail

build=${1:-build}
D=${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}
THREADS=${THREADS:-1}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10}
berth="$build/berth"

[[ -x "$berth" ]] || { echo "build $berth first (cmake --build $build --target berth)" >&2; exit 1; }
[[ -f "$D/env" ]] || { echo "sandbox not running: tests/sandbox/sandbox.sh up" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps.sh" >&2; exit 1; }
nginx_bin=$(PATH="$PATH:/usr/sbin" command -v nginx) || { echo "nginx missing" >&2; exit 1; }
# shellcheck disable=SC1091
source "$D/env"

work=$(mktemp -d)
berth_pid="" nginx_pid=""
network="berth-srvbench-$$"
dk() { DOCKER_HOST="$BERTH_SANDBOX_DOCKER_HOST" DOCKER_CONFIG="$BERTH_SANDBOX_DOCKER_CONFIG" "$BERTH_SANDBOX_DOCKER_CLI" "$@"; }
stop_pid() { # PID SIGNAL: stop a process this script started, wait up to 15 s
  local pid=$1 sig=$2
  kill -"$sig" "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  [[ -n "$berth_pid" ]] && stop_pid "$berth_pid" TERM
  [[ -n "$nginx_pid" ]] && stop_pid "$nginx_pid" QUIT
  dk network rm "$network" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_200() { # URL
  for _ in $(seq 1 400); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done
  echo "no 200 from $1" >&2
  return 1
}

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

secret="bench-secret-$$-$RANDOM"
body='{"tag":"bench-no-match"}'
signature="sha256=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"
cat >"$work/webhook.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Hub-Signature-256"] = "$signature"
done = function(summary, latency, requests)
  io.write(string.format("p50_us=%d\np99_us=%d\n", latency:percentile(50), latency:percentile(99)))
end
LUA
cat >"$work/get.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p50_us=%d\np99_us=%d\n", latency:percentile(50), latency:percentile(99)))
end
LUA

# --- nginx: static 200, own instance on a free loopback port ---------------------------------
nginx_port=$(free_port)
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx/logs/access.log;
  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { return 200 '{"status":"ok"}'; }
  }
}
NGINX
"$nginx_bin" -p "$work/nginx/" -c "$work/nginx/nginx.conf" >"$work/nginx/stdout" 2>&1 &
nginx_pid=$!
wait_200 "http://127.0.0.1:$nginx_port/healthz"

# --- berth serve ------------------------------------------------------------------------------
berth_port=$(free_port)
cat >"$work/berth.yaml" <<YAML
docker:
  host: "$BERTH_SANDBOX_DOCKER_HOST"
  network: $network
proxy:
  driver: none
projects:
  - name: bench
    image: $BERTH_SANDBOX_REGISTRY/$BERTH_SANDBOX_IMAGE_REPO
    port: $BERTH_SANDBOX_IMAGE_PORT
    webhook_secret_env: BERTH_BENCH_WEBHOOK_SECRET
    stages:
      - { name: staging, tags: { match: '^v[0-9]+\$', order: semver }, auto_deploy: true }
YAML
start_berth() { # [global options...]
  BERTH_BENCH_WEBHOOK_SECRET="$secret" "$berth" --data-dir "$work/data-$1" "${@:2}" serve \
    --config "$work/berth.yaml" --listen "127.0.0.1:$berth_port" --no-poll >>"$work/berth.log" 2>&1 &
  berth_pid=$!
  wait_200 "http://127.0.0.1:$berth_port/healthz"
}

check_once() { # expect one 202 with nothing deployed, one 401 with a wrong signature
  local out code
  out=$(curl -s -w ' %{http_code}' -X POST -H 'Content-Type: application/json' \
    -H "X-Hub-Signature-256: $signature" --data-binary "$body" "http://127.0.0.1:$berth_port/api/webhook/bench")
  code=${out##* }
  echo "berth answers: $out" >&2
  [[ "$code" == 202 && "$out" == *'"deploys":[]'* ]] || { echo "expected 202 with no deploys" >&2; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Hub-Signature-256: sha256=$(printf '0%.0s' $(seq 64))" \
    --data-binary "$body" "http://127.0.0.1:$berth_port/api/webhook/bench")
  [[ "$code" == 401 ]] || { echo "a wrong signature got $code, expected 401" >&2; exit 1; }
}

rows=()
ref_rps=""
run_wrk() { # NAME SCRIPT URL [PID for RSS]
  local name=$1 script=$2 url=$3 pid=${4:-}
  wait_quiet
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s "$script" "$url" >"$work/wrk.txt" 2>&1
  cat "$work/wrk.txt" >&2
  local requests rps p50 p99 errors non2xx failed ratio rss=""
  requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.txt")
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.txt")
  p50=$(sed -n 's/^p50_us=//p' "$work/wrk.txt")
  p99=$(sed -n 's/^p99_us=//p' "$work/wrk.txt")
  errors=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p' "$work/wrk.txt")
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$work/wrk.txt")
  failed=$(( ${errors:-0} + ${non2xx:-0} ))
  if [[ -z "$ref_rps" ]]; then ref_rps=$rps; ratio="reference"; else ratio=$(awk -v a="$rps" -v b="$ref_rps" 'BEGIN { printf "%.2fx", a / b }'); fi
  [[ -n "$pid" ]] && rss="$(( $(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$pid/status") / 1024 )) MiB"
  rows+=("| $name | $requests | $(printf '%.0f' "$rps") | $ratio | $(awk -v v="$p50" 'BEGIN { printf "%.2f", v / 1000 }') | $(awk -v v="$p99" 'BEGIN { printf "%.2f", v / 1000 }') | **$failed** | ${rss:-—} |")
}

echo "running: nginx static 200" >&2
run_wrk "nginx \`return 200\` (POST, same body; access log to a file)" "$work/webhook.lua" "http://127.0.0.1:$nginx_port/api/webhook/bench"

start_berth info
check_once
log_lines_before=$(wc -l <"$work/berth.log")
echo "running: berth webhook, info log" >&2
run_wrk "berth POST /api/webhook (HMAC, 202), log to a file" "$work/webhook.lua" "http://127.0.0.1:$berth_port/api/webhook/bench" "$berth_pid"
log_lines=$(( $(wc -l <"$work/berth.log") - log_lines_before ))
echo "running: berth /healthz, info log" >&2
run_wrk "berth GET /healthz (no handler work), log to a file" "$work/get.lua" "http://127.0.0.1:$berth_port/healthz" "$berth_pid"
stop_pid "$berth_pid" TERM
berth_pid=""

start_berth warn --log-level warn
check_once
echo "running: berth webhook, --log-level warn" >&2
run_wrk "berth POST /api/webhook, \`--log-level warn\` (no per-request log)" "$work/webhook.lua" "http://127.0.0.1:$berth_port/api/webhook/bench" "$berth_pid"
stop_pid "$berth_pid" TERM
berth_pid=""
stop_pid "$nginx_pid" QUIT
nginx_pid=""

cpu=$(cpu_model)
commit=$(berth_commit "$berth")
echo "Measured $(date -u +%Y-%m-%d) on $cpu, $(nproc) cores, Linux $(uname -r), berth $commit, nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///') (\`worker_processes 1\`), $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2); wrk -t$THREADS -c$CONNS -d${DURATION}s keep-alive per row; berth's log went to a file (${log_lines} lines for the first berth row); at most ${busy_worst}% CPU busy with other work in the second before each measurement."
echo
echo "| server | requests | requests/s | ratio to nginx | p50 (ms) | p99 (ms) | failed | server VmHWM |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
