#!/usr/bin/env bash
# Start-up time and idle memory of `berth serve`, next to nginx measured in the same run.
#
#   bench/startup_bench.sh [BUILD_DIR]     (needs: tests/sandbox/sandbox.sh up, nginx)
#
# Start-up = spawn -> the first 200 from GET /healthz (a new connection every 5 ms), measured
# by berth_startup_tool, RUNS times each, median:
#   berth, fresh data dir   `berth --data-dir <new empty dir> serve --config <generated>
#                           --listen 127.0.0.1:<port> --no-poll`: creates and migrates the
#                           database, imports the file, connects to the sandbox's Docker
#                           (ensure network, reconcile), starts the server; log to a file
#   berth, same data dir    the same, the database already there and up to date
#   nginx                   `nginx -p <dir> -c <minimal config> -g 'daemon off;'`, one worker,
#                           `location = /healthz { return 200; }` on a loopback port: the
#                           reference (a server process that reads a config and listens)
#   `berth version`, `nginx -v`  spawn -> exit: what loading and starting each binary costs
#                           before any server work (shared libraries, relocations, static
#                           initialisers)
# Idle memory: in the first IDLE_RUNS runs of each, after IDLE_MS of idling, VmRSS, VmHWM and
# Pss (/proc/PID/status, smaps_rollup) of the process, nginx's worker added to its master.
# Each process is stopped with SIGTERM by the tool (its own child, by PID). Bounded: 20 s per
# start at most. Prints a Markdown table; BENCHMARKS.md has the last results.
set -euo pipefail

build=${1:-build}
D=${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}
RUNS=${RUNS:-10}
IDLE_RUNS=${IDLE_RUNS:-3}
IDLE_MS=${IDLE_MS:-3000}
berth="$build/berth"
tool="$build/bench/berth_startup_tool"

[[ -x "$berth" ]] || { echo "build $berth first (cmake --build $build --target berth)" >&2; exit 1; }
[[ -x "$tool" ]] || { echo "build $tool first (cmake --build $build --target berth_startup_tool)" >&2; exit 1; }
[[ -f "$D/env" ]] || { echo "sandbox not running: tests/sandbox/sandbox.sh up" >&2; exit 1; }
nginx_bin=$(PATH="$PATH:/usr/sbin" command -v nginx) || { echo "nginx missing" >&2; exit 1; }
# shellcheck disable=SC1091
source "$D/env"

work=$(mktemp -d)
network="berth-srvbench-$$"
dk() { DOCKER_HOST="$BERTH_SANDBOX_DOCKER_HOST" DOCKER_CONFIG="$BERTH_SANDBOX_DOCKER_CONFIG" "$BERTH_SANDBOX_DOCKER_CLI" "$@"; }
cleanup() {
  dk network rm "$network" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

port=$(free_port)
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
      - { name: production, promote_from: staging, strategy: blue-green }
YAML
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<NGINX
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
    listen 127.0.0.1:$port;
    location = /healthz { return 200 '{"status":"ok"}'; }
  }
}
NGINX

declare -A startup rss hwm pss threads failures
measure() { # NAME RUN -- CMD...
  local name=$1 run=$2
  shift 3
  local idle=0
  (( run <= IDLE_RUNS )) && idle=$IDLE_MS
  local out
  if ! out=$("$tool" --port "$port" --idle-ms "$idle" --log "$work/$name.log" -- "$@"); then
    failures[$name]=$(( ${failures[$name]:-0} + 1 ))
    echo "  $name run $run failed; its log:" >&2
    tail -n 5 "$work/$name.log" >&2
    return 0
  fi
  local v
  v=$(sed -n 's/^startup_ms=//p' <<<"$out")
  startup[$name]="${startup[$name]:-} $v"
  if (( idle > 0 )); then
    rss[$name]="${rss[$name]:-} $(sed -n 's/^rss_kb=//p' <<<"$out")"
    hwm[$name]="${hwm[$name]:-} $(sed -n 's/^hwm_kb=//p' <<<"$out")"
    pss[$name]="${pss[$name]:-} $(sed -n 's/^pss_kb=//p' <<<"$out")"
    threads[$name]="$(sed -n 's/^processes=//p' <<<"$out") process(es), $(sed -n 's/^threads=//p' <<<"$out") threads"
  fi
  echo "  $name run $run: $(tr '\n' ' ' <<<"$out")" >&2
}

export BERTH_BENCH_WEBHOOK_SECRET="bench-secret-$$"
# One start of each first, not counted: creates data-same and warms the page cache.
"$tool" --port "$port" --log "$work/warmup.log" -- "$berth" --data-dir "$work/data-same" serve \
  --config "$work/berth.yaml" --listen "127.0.0.1:$port" --no-poll >/dev/null
"$tool" --port "$port" --log "$work/warmup.log" -- "$nginx_bin" -p "$work/nginx/" -c "$work/nginx/nginx.conf" \
  -g 'daemon off;' >/dev/null
for run in $(seq 1 "$RUNS"); do
  wait_quiet
  echo "run $run of $RUNS" >&2
  rm -rf "$work/data-fresh"
  measure "berth-fresh" "$run" -- "$berth" --data-dir "$work/data-fresh" serve --config "$work/berth.yaml" \
    --listen "127.0.0.1:$port" --no-poll
  measure "berth-same" "$run" -- "$berth" --data-dir "$work/data-same" serve --config "$work/berth.yaml" \
    --listen "127.0.0.1:$port" --no-poll
  measure "nginx" "$run" -- "$nginx_bin" -p "$work/nginx/" -c "$work/nginx/nginx.conf" -g 'daemon off;'
  # Process start alone: the binary loads, initialises, prints its version and exits.
  for cmd in "berth-version $berth version" "nginx-version $nginx_bin -v"; do
    read -r name argv0 arg <<<"$cmd"
    v=$("$tool" --until-exit 1 -- "$argv0" "$arg" | sed -n 's/^exit_ms=//p')
    startup[$name]="${startup[$name]:-} $v"
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "?"; exit } if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f–%.1f", lo, hi }'; }
mib() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; }

ref=$(median <<<"${startup[nginx]:-}")
ref_rss=$(median <<<"${rss[nginx]:-}")
rows=()
for name in nginx berth-fresh berth-same nginx-version berth-version; do
  m=$(median <<<"${startup[$name]:-}")
  r=$(median <<<"${rss[$name]:-}")
  if [[ "$name" == nginx-version ]]; then ratio="reference"; rratio="—"
  elif [[ "$name" == berth-version ]]; then
    ratio=$(awk -v a="$m" -v b="$(median <<<"${startup[nginx-version]}")" 'BEGIN { printf "%.1fx", a / b }')
    rratio="—"
  elif [[ "$name" == nginx ]]; then ratio="reference"; rratio="reference"; else
    ratio=$(awk -v a="$m" -v b="$ref" 'BEGIN { printf "%.1fx", a / b }')
    rratio=$(awk -v a="$r" -v b="$ref_rss" 'BEGIN { printf "%.1fx", a / b }')
  fi
  case $name in
    nginx) label="nginx, minimal config (master + 1 worker)" ;;
    berth-fresh) label="\`berth serve\`, fresh data dir" ;;
    berth-same) label="\`berth serve\`, same data dir again" ;;
    nginx-version) label="\`nginx -v\` (spawn → exit: process start only)" ;;
    berth-version) label="\`berth version\` (spawn → exit: process start only)" ;;
  esac
  if [[ "$name" == *-version ]]; then
    rows+=("| $label | $(printf '%.1f' "$m") | $(spread <<<"${startup[$name]:-}") | $ratio | — | — | — | — | — | 0 |")
    continue
  fi
  rows+=("| $label | $(printf '%.1f' "$m") | $(spread <<<"${startup[$name]:-}") | $ratio | $(mib "$r") | $rratio | $(mib "$(median <<<"${hwm[$name]:-}")") | $(mib "$(median <<<"${pss[$name]:-}")") | ${threads[$name]:-?} | ${failures[$name]:-0} |")
done

cpu=$(cpu_model)
commit=$(berth_commit "$berth")
echo "Measured $(date -u +%Y-%m-%d) on $cpu, $(nproc) cores, Linux $(uname -r), berth $commit, nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///'); $RUNS starts each (interleaved), memory after ${IDLE_MS} ms idle in the first $IDLE_RUNS; at most ${busy_worst}% CPU busy with other work in the second before each measurement."
echo
echo "| process | start-up median (ms) | range (ms) | ratio | idle VmRSS (MiB) | ratio | VmHWM (MiB) | Pss (MiB) | shape | failed |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
