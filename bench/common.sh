# Sourced by the bench/*_bench.sh scripts: measure only while the machine is quiet, a free
# loopback port (free_port), and what a result line says it was measured on (cpu_model,
# berth_commit).
# busy_pct prints the share of CPU time the machine spent busy over one second; wait_quiet
# waits (QUIET_WAIT s at most per script run) for a second under QUIET_PCT % busy and keeps the
# worst such second in $busy_worst, which the scripts print with their numbers.
busy_pct() {
  local a b
  read -r -a a < <(head -n1 /proc/stat)
  sleep 1
  read -r -a b < <(head -n1 /proc/stat)
  awk -v i1="${a[4]}" -v i2="${b[4]}" -v w1="${a[5]}" -v w2="${b[5]}" \
    -v t1="$(( a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7] + a[8] ))" \
    -v t2="$(( b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + b[7] + b[8] ))" \
    'BEGIN { printf "%.0f", 100 * (1 - ((i2 - i1) + (w2 - w1)) / (t2 - t1)) }'
}
QUIET_WAIT=${QUIET_WAIT:-45}
QUIET_PCT=${QUIET_PCT:-15}
busy_worst=0
wait_quiet() {
  local b waited=0
  while b=$(busy_pct); (( b >= QUIET_PCT && QUIET_WAIT > 0 )); do
    waited=$((waited + 1)) QUIET_WAIT=$((QUIET_WAIT - 1))
  done
  (( waited > 0 )) && echo "  (waited ${waited} s for the machine to be quiet; now ${b}% busy)" >&2
  (( b > busy_worst )) && busy_worst=$b
  return 0
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cpu_model() { sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1; }

# berth_commit BINARY: $BERTH_COMMIT when set (a build of an exported tree), else this
# checkout's commit, with a warning when src/ has uncommitted changes or a file under src/ is
# newer than BINARY (the binary does not record its own commit).
berth_commit() {
  local commit
  if [[ -n "${BERTH_COMMIT:-}" ]]; then
    echo "$BERTH_COMMIT"
    return
  fi
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
  git diff --quiet HEAD -- src 2>/dev/null || commit="$commit + uncommitted src/ changes"
  if [[ -n "$(find src CMakeLists.txt -newer "$1" -print -quit 2>/dev/null)" ]]; then
    commit="$commit (but $1 is older than a file under src/: rebuild it)"
  fi
  echo "$commit"
}
