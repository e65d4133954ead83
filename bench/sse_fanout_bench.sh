#!/usr/bin/env bash
# SSE fan-out: N subscribers on GET /api/events, a burst of K deploy.log events, delivery
# latency per (subscriber, event), next to the kernel's floor measured in the same run.
#
#   bench/sse_fanout_bench.sh [BUILD_DIR]      (no sandbox needed)
#
# For each N in $SUBSCRIBERS, runs berth_sse_fanout_tool three times with the same client
# (one epoll thread in its own process) and the same latency math:
#   floor                 no berth code: a plain loop writes the same bytes to the same N
#                         loopback sockets (all K frames in one send() per socket)
#   berth                 berth's http::Server with every API route (api::addRoutes), the
#                         events published through the real EventBus
#   berth-shared-frames   a what-if (WHATIF=0 skips it): the same server and bus, but each
#                         event's SSE frame formatted once and shared by all subscribers
# Latency = the client's recv() time minus the event's publish time (steady_clock, shared by
# both processes); "burst done" = first publish to the last delivery. Everything is on
# loopback and bounded (the tool gives up TIMEOUT seconds after the burst). Prints a Markdown
# table; BENCHMARKS.md has the last results.
set -euo pipefail

build=${1:-build}
SUBSCRIBERS=${SUBSCRIBERS:-1000 10000}
EVENTS=${EVENTS:-100}
MESSAGE_BYTES=${MESSAGE_BYTES:-80}
TIMEOUT=${TIMEOUT:-30}
WHATIF=${WHATIF:-1}
tool="$build/bench/berth_sse_fanout_tool"

[[ -x "$tool" ]] || { echo "build $tool first (cmake --build $build --target berth_sse_fanout_tool)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rows=()
rc=0
for n in $SUBSCRIBERS; do
  modes="floor berth"
  [[ "$WHATIF" == 1 ]] && modes="$modes berth-shared-frames"
  floor_p50="" floor_p99="" floor_done=""
  for mode in $modes; do
    wait_quiet
    echo "running: $mode, $n subscribers, $EVENTS events" >&2
    out="$work/$mode-$n.txt"
    set +e
    "$tool" --server "$mode" --subscribers "$n" --events "$EVENTS" --message-bytes "$MESSAGE_BYTES" \
      --timeout-s "$TIMEOUT" >"$out"
    tool_rc=$?
    set -e
    if [[ $tool_rc -ne 0 ]]; then
      echo "  $mode: not every subscriber got every event (exit $tool_rc)" >&2
      [[ "$mode" == berth-shared-frames ]] || rc=1  # the what-if does not decide the exit status
    fi
    val() { sed -n "s/^$1=//p" "$out"; }
    p50=$(val client_p50_ms) p99=$(val client_p99_ms) max=$(val client_max_ms)
    done_ms=$(awk -v a="$(val client_last_delivery_ns)" -v b="$(val burst_first_publish_ns)" 'BEGIN { printf "%.1f", (a - b) / 1e6 }')
    if [[ "$mode" == floor ]]; then
      floor_p50=$p50 floor_p99=$p99 floor_done=$done_ms
      ratio="reference"
    else
      ratio=$(awk -v a="$p50" -v b="$floor_p50" -v c="$p99" -v d="$floor_p99" -v e="$done_ms" -v f="$floor_done" \
        'BEGIN { printf "%.1fx / %.1fx / %.1fx", a / b, c / d, e / f }')
    fi
    per_stream=$(awk -v a="$(val rss_streams_kb)" -v b="$(val rss_before_kb)" -v n="$n" 'BEGIN { printf "%.1f", (a - b) / n }')
    mib() { awk -v v="$1" 'BEGIN { printf "%.0f", v / 1024 }'; }
    held="$(val client_held_to_end)/$n"
    [[ "$mode" != floor* ]] && held="$held (server $(val server_streams), bus $(val bus_subscribers))"
    rows+=("| $mode | $(printf '%.2f' "$(val client_connect_s)") | $held | $(val client_complete) | $(val client_deliveries) | $(printf '%.1f' "$p50") | $(printf '%.1f' "$p99") | $(printf '%.1f' "$max") | $done_ms | $ratio | $(mib "$(val rss_streams_kb)") MiB ($per_stream KiB/stream) | $(mib "$(val hwm_kb)") MiB |")
    cat "$out" >&2
  done
done

cpu=$(cpu_model)
commit=$(berth_commit "$tool")
echo "Measured $(date -u +%Y-%m-%d) on $cpu, $(nproc) cores, Linux $(uname -r), berth $commit; burst of $EVENTS deploy.log events ($(sed -n 's/^client_bytes_per_delivery=//p' "$out" | head -n1) bytes each on the wire), one client process with one epoll thread; at most ${busy_worst}% CPU busy with other work in the second before each measurement."
echo
echo "| server | N connected in (s) | streams held to the end | got all $EVENTS | deliveries | p50 (ms) | p99 (ms) | max (ms) | burst done (ms) | ratio p50 / p99 / done to floor | server RSS with N streams | server VmHWM after the burst |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit "$rc"
