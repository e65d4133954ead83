#!/usr/bin/env bash
# Failed requests while the nginx driver switches a stage's upstream under load.
#
#   bench/proxy_switch_bench.sh [BUILD_DIR]      (needs: tests/sandbox/sandbox.sh up, wrk)
#
# Starts two test containers (v1, v2) on the sandbox dockerd, routes a test domain to v1 through
# the sandbox nginx with berth_proxy_switch_tool (the real NginxProxy: write, nginx -t, reload,
# wait until only the new generation answers), then, for each kind of client, switches the
# upstream SWITCHES times (v2, v1, v2, ...) while the client sends requests, and counts the
# requests that failed: transport errors (connect/read/write/timeout), non-2xx answers, and
# (curl) answers that are neither "v1" nor "v2".
#   curl-new-conn   a bounded loop of curl processes: one new connection per request
#   wrk-close       wrk with "Connection: close": one new connection per request, many at once
#   wrk-keepalive   wrk as it comes: keep-alive connections reused across the reloads
#   wrk-keepalive+keepalive_timeout_0   the same with nginx told not to keep client connections
#   alias-*         no reload at all: a second nginx runs in the network namespace of a proxy
#                   container (nsenter), resolves the upstream name through Docker's DNS
#                   (resolver 127.0.0.11 valid=1s), and a switch moves the network alias
#                   "app-live" from one container to the other (connect the new one with the
#                   alias, wait 1.5 s for the resolver cache, disconnect the old one)
# Everything is bounded (DURATION seconds per client, SWITCHES switches, at most CURL_MAX curl
# requests) and on loopback. Prints a Markdown table; BENCHMARKS.md has the last results.
set -euo pipefail

build=${1:-build}
D=${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}
SWITCHES=${SWITCHES:-10}
DURATION=${DURATION:-12}
CONNS=${CONNS:-16}
CURL_MAX=${CURL_MAX:-4000}
tool="$build/bench/berth_proxy_switch_tool"

[[ -x "$tool" ]] || { echo "build $tool first (cmake --build $build --target berth_proxy_switch_tool)" >&2; exit 1; }
[[ -f "$D/env" ]] || { echo "sandbox not running: tests/sandbox/sandbox.sh up" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps.sh" >&2; exit 1; }
# shellcheck disable=SC1091
source "$D/env"

dk() { DOCKER_HOST="$BERTH_SANDBOX_DOCKER_HOST" DOCKER_CONFIG="$BERTH_SANDBOX_DOCKER_CONFIG" "$BERTH_SANDBOX_DOCKER_CLI" "$@"; }
nginx_cmd() { read -r -a argv <<<"$1"; "${argv[@]}" >/dev/null 2>&1; }

project="bench$$"
domain="$project.berth.test"
net="berth-bench-$$"
conf="$BERTH_SANDBOX_NGINX_CONF_DIR"
extra="$conf/berth-bench-$$-http.conf"
work=$(mktemp -d)
containers=()

alias_nginx_pid=""
cleanup() {
  [[ -n "$alias_nginx_pid" ]] && kill -QUIT "$alias_nginx_pid" 2>/dev/null
  rm -rf "$work"
  rm -f "$conf/berth.$project.web.conf" "$extra"
  nginx_cmd "$BERTH_SANDBOX_NGINX_RELOAD_CMD" || true
  [[ ${#containers[@]} -gt 0 ]] && dk rm -f "${containers[@]}" >/dev/null 2>&1
  dk network rm "$net" "$net-route" >/dev/null 2>&1 || true
}
trap cleanup EXIT

dk network create "$net" >/dev/null
start() { # TAG -> published port (runs in $(...): the caller records the container name)
  local name="berth-bench-$$-$1"
  dk run -d --name "$name" --network "$net" -p "127.0.0.1::$BERTH_SANDBOX_IMAGE_PORT" \
    "$BERTH_SANDBOX_REGISTRY/$BERTH_SANDBOX_IMAGE_REPO:$1" >/dev/null 2>&1
  local addr
  addr=$(dk port "$name" "$BERTH_SANDBOX_IMAGE_PORT/tcp" | head -n1)
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://$addr/healthz" && break; sleep 0.1; done
  echo "${addr##*:}"
}
containers+=("berth-bench-$$-v1" "berth-bench-$$-v2")
p1=$(start v1)
p2=$(start v2)

switch_to() { # PORT
  "$tool" --conf-dir "$conf" --listen "$BERTH_SANDBOX_NGINX" \
    --test-cmd "$BERTH_SANDBOX_NGINX_TEST_CMD" --reload-cmd "$BERTH_SANDBOX_NGINX_RELOAD_CMD" \
    --project "$project" --stage web --domain "$domain" --upstream "127.0.0.1:$1"
}
switch_to "$p1" >/dev/null

# Switches SWITCHES times, 0.5 s apart, after 1.5 s of load; prints the mean apply time.
switches() {
  local total=0 ms port
  sleep 1.5
  for i in $(seq 1 "$SWITCHES"); do
    if ((i % 2 == 1)); then port=$p2; else port=$p1; fi
    ms=$(switch_to "$port" | sed -n 's/.* in \([0-9]*\) ms/\1/p')
    total=$((total + ms))
    sleep 0.5
  done
  echo $((total / SWITCHES))
}

rows=()
run_wrk() { # NAME [wrk options...]
  local name="$1"
  shift
  wrk -t2 -c"$CONNS" -d"${DURATION}s" -H "Host: $domain" "$@" "http://$BERTH_SANDBOX_NGINX/" \
    >"$work/wrk.txt" 2>&1 &
  local wrk_pid=$!
  local apply_ms
  apply_ms=$(switches)
  wait "$wrk_pid"
  local requests errors non2xx
  requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.txt")
  errors=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p' "$work/wrk.txt")
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$work/wrk.txt")
  local detail
  detail=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$work/wrk.txt")
  local failed=$(( ${errors:-0} + ${non2xx:-0} ))
  rows+=("| $name | $requests | $SWITCHES | ${apply_ms} ms | **$failed** | ${detail:-none}; non-2xx ${non2xx:-0} |")
}

run_curl() {
  local stop="$work/stop"
  (
    ok=0 bad=0
    for _ in $(seq 1 "$CURL_MAX"); do
      [[ -e "$stop" ]] && break
      out=$(curl -s --max-time 5 -H "Host: $domain" -w ' %{http_code}' "http://$BERTH_SANDBOX_NGINX/" || true)
      if [[ "$out" == "v1 200" || "$out" == "v2 200" ]]; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "$out" >>"$work/curl-failures"; fi
    done
    echo "$ok $bad" >"$work/curl.txt"
  ) &
  local loop_pid=$!
  local apply_ms
  apply_ms=$(switches)
  sleep 1
  touch "$stop"
  wait "$loop_pid"
  read -r ok bad <"$work/curl.txt"
  rows+=("| curl-new-conn | $((ok + bad)) | $SWITCHES | ${apply_ms} ms | **$bad** | answers other than v1/v2 with 200 |")
}

echo "running: curl loop (new connection per request)" >&2
run_curl
echo "running: wrk, Connection: close" >&2
run_wrk wrk-close -H "Connection: close"
echo "running: wrk, keep-alive" >&2
run_wrk wrk-keepalive
echo "running: wrk, keep-alive, nginx keepalive_timeout 0" >&2
echo "keepalive_timeout 0;" >"$extra"
nginx_cmd "$BERTH_SANDBOX_NGINX_RELOAD_CMD"
sleep 0.5
run_wrk "wrk-keepalive + keepalive_timeout 0" 
rm -f "$extra"
nginx_cmd "$BERTH_SANDBOX_NGINX_RELOAD_CMD"

# --- no reload: move a Docker network alias; nginx resolves it at request time ---------------
dk network create "$net-route" >/dev/null
containers+=("berth-bench-$$-proxy")
dk run -d --name "berth-bench-$$-proxy" --network "$net-route" -p 127.0.0.1::9000 \
  "$BERTH_SANDBOX_REGISTRY/$BERTH_SANDBOX_IMAGE_REPO:v1" >/dev/null
dk network connect --alias app-live "$net-route" "berth-bench-$$-v1"
mkdir -p "$work/nx/logs"
cat >"$work/nx/nginx.conf" <<NGINX
daemon on;
worker_processes 1;
pid $work/nx/nginx.pid;
error_log $work/nx/logs/error.log notice;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nx/t1; proxy_temp_path $work/nx/t2; fastcgi_temp_path $work/nx/t3;
  uwsgi_temp_path $work/nx/t4; scgi_temp_path $work/nx/t5;
  resolver 127.0.0.11 valid=1s ipv6=off;
  server {
    listen 9000;
    location / {
      set \$up app-live;
      proxy_pass http://\$up:$BERTH_SANDBOX_IMAGE_PORT;
      # An old address still in the resolver cache no longer answers once its container
      # left the network: fail the connect fast and retry the next address.
      proxy_connect_timeout 250ms;
      proxy_next_upstream error timeout;
    }
  }
}
NGINX
proxy_pid=$(dk inspect -f '{{.State.Pid}}' "berth-bench-$$-proxy")
nsenter --net="/proc/$proxy_pid/ns/net" /usr/sbin/nginx -p "$work/nx/" -c "$work/nx/nginx.conf"
alias_nginx_pid=$(cat "$work/nx/nginx.pid")
alias_addr=$(dk port "berth-bench-$$-proxy" 9000/tcp | head -n1)
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://$alias_addr/" && break; sleep 0.1; done

move_alias() { # FROM TO; prints the time it took
  local from=$1 to=$2 start
  start=$(date +%s%N)
  dk network connect --alias app-live "$net-route" "berth-bench-$$-$to"
  sleep 1.5  # resolver cache (valid=1s) and in-flight requests
  dk network disconnect "$net-route" "berth-bench-$$-$from"
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
run_alias_wrk() { # NAME [wrk options...]
  local name="$1"
  shift
  local duration=$(( SWITCHES * 2 + 5 ))
  wrk -t2 -c"$CONNS" -d"${duration}s" "$@" "http://$alias_addr/" >"$work/wrk.txt" 2>&1 &
  local wrk_pid=$! total=0 ms
  sleep 1.5
  for i in $(seq 1 "$SWITCHES"); do
    if ((i % 2 == 1)); then ms=$(move_alias v1 v2); else ms=$(move_alias v2 v1); fi
    total=$((total + ms))
    sleep 0.3
  done
  wait "$wrk_pid"
  local requests errors non2xx detail
  requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.txt")
  errors=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p' "$work/wrk.txt")
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$work/wrk.txt")
  detail=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$work/wrk.txt")
  rows+=("| $name | $requests | $SWITCHES | $((total / SWITCHES)) ms | **$(( ${errors:-0} + ${non2xx:-0} ))** | ${detail:-none}; non-2xx ${non2xx:-0} |")
}
echo "running: wrk, keep-alive, no reload (alias move)" >&2
run_alias_wrk "alias-keepalive (no reload)"
echo "running: wrk, Connection: close, no reload (alias move)" >&2
run_alias_wrk "alias-close (no reload)" -H "Connection: close"
kill -QUIT "$alias_nginx_pid" 2>/dev/null || true
alias_nginx_pid=""

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
echo "Measured $(date -u +%Y-%m-%d) on $cpu, $(nproc) cores, nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), wrk -t2 -c$CONNS -d${DURATION}s per row; $SWITCHES switches per row."
echo
echo "| client | requests | switches | mean switch | failed | errors |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
