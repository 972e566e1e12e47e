#!/usr/bin/env bash
# bench.sh xmpp [N ...]: what the XMPP tier carries for one overlay of N nodes, per node, in steady
# state and while one node joins and one is killed.
#
# For each N (default 8 16 32): the benchmarks' N hosts (lib ov_bench_places: a third public, the
# rest behind two EIM NATs) plus one more trusted host whose node starts only for the join; Prosody
# and coturn. Once every node reports its successor links up (status "timeline", links-up; up to
# XMPP_FORM_TIMEOUT s, default 900) and XMPP_SETTLE s more (default 20, for shortcuts), it reads
# every node's own counters (status JSON xmpp.wire: stanzas and TCP bytes of its XMPP connection,
# both directions; "in" is server to node) around three windows of XMPP_WINDOW s (default 60):
#   steady  the N nodes, nothing happening;
#   join    node N starts (its counters count from 0);
#   kill    one node is SIGKILLed (the server sees the TCP connection close and sends its
#           unavailable presence to every contact; the ring re-links around the gap).
# For join and kill it prints the stanzas and bytes over the steady rate of the nodes present
# ("extra"), summed over the overlay and divided by its nodes. The nodes re-send presence every
# XMPP_PRESENCE (xmpp.presence-interval; default: the window, so a steady window holds exactly one
# re-announcement per node wherever its period falls, and the quadratic presence fan-out is in the
# figure rather than missing from it or counted twice; the default of a real node is 5m).
# A measurement, not a test: nothing here fails on a figure. Cleans up after itself (run "bxm").
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ovs-scripts/lib/testbed.sh
for lib in ovs-scripts/lib/*.sh; do [ "$lib" = ovs-scripts/lib/testbed.sh ] || . "$lib"; done
case "${1:-}" in -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "bench xmpp: needs root" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(8 16 32)
for n in "${sizes[@]}"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 3 ] || { echo "bench xmpp: sizes are node counts >= 3, got '$n'" >&2; exit 2; }
done
window=${XMPP_WINDOW:-60}
presence=${XMPP_PRESENCE:-${window}s}
form_timeout=${XMPP_FORM_TIMEOUT:-900}
settle=${XMPP_SETTLE:-20}

ovs-scripts/install-deps.sh base services
ov_bench_setup

now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }

status() { tb_exec "h$1" curl -s --max-time 3 http://127.0.0.1:9410/status 2>/dev/null || true; }

# wire HOST: that node's "stanzasIn stanzasOut bytesIn bytesOut"; zeros when it does not answer
# (a node not started yet, or killed: its counters are gone with it).
wire() {
  local w
  w=$(status "$1" | jq -r '(.xmpp.wire // {}) | "\(.stanzasIn // 0) \(.stanzasOut // 0) \(.bytesIn // 0) \(.bytesOut // 0)"' 2>/dev/null) || w=
  echo "${w:-0 0 0 0}"
}

# totals HOST...: the four counters summed over those nodes.
totals() {
  local h
  for h in "$@"; do wire "$h"; done | awk '{ for (i = 1; i <= 4; i++) s[i] += $i } END { printf "%d %d %d %d\n", s[1], s[2], s[3], s[4] }'
}

# links_up HOST...: how many of those nodes report their successor links up.
links_up() {
  local h c=0
  for h in "$@"; do
    status "$h" | jq -e '.timeline.phases["links-up"] != null' >/dev/null 2>&1 && c=$((c + 1))
  done
  echo "$c"
}

# delta BEFORE AFTER: the four counter differences.
delta() { awk -v a="$2" -v b="$1" 'BEGIN { split(a, x); split(b, y); printf "%d %d %d %d\n", x[1]-y[1], x[2]-y[2], x[3]-y[3], x[4]-y[4] }'; }

# extra DELTA SECONDS STEADY_RATES: DELTA minus what the steady rates (four per-second figures for
# the whole group) would have carried in SECONDS; never below 0 (a window quieter than the steady
# one is noise, not savings).
extra() {
  awk -v d="$1" -v s="$2" -v r="$3" 'BEGIN { split(d, x); split(r, y)
    for (i = 1; i <= 4; i++) { e = x[i] - y[i] * s; printf "%d%s", (e < 0 ? 0 : e + 0.5), (i < 4 ? " " : "\n") } }'
}

# per DELTA SECONDS NODES: per node and second, stanzas with two decimals, bytes whole.
per() { awk -v d="$1" -v s="$2" -v n="$3" 'BEGIN { split(d, x); printf "%.2f %.2f %.0f %.0f\n", x[1]/s/n, x[2]/s/n, x[3]/s/n, x[4]/s/n }'; }

# window HOST...: counters around XMPP_WINDOW seconds; prints "SECONDS DELTA" (five numbers).
# Set $1 to a command to run right after the first reading (the join or the kill), or "-".
window() {
  local act=$1 b a t0; shift
  b=$(totals "$@")
  t0=$(now)
  [ "$act" = - ] || eval "$act"
  sleep "$window"
  a=$(totals "$@")
  echo "$(since "$t0") $(delta "$b" "$a")"
}

summary=()
for n in "${sizes[@]}"; do
  places=($(ov_bench_places "$((n + 1))"))
  tb_init bxm $$
  tb_overlay_xmpp_keys "presence-interval: $presence"
  tb_overlay_net_places "$((n + 1))" 1 "${places[@]}" >/dev/null
  start=$(now)
  for ((i = 0; i < n; i++)); do tb_overlay_node_start "$i" "$jar" >/dev/null; done
  hosts=($(seq 0 $((n - 1))))
  up=0
  until [ "$up" -eq "$n" ]; do
    if awk -v t="$(since "$start")" -v m="$form_timeout" 'BEGIN { exit !(t > m) }'; then
      echo "bench xmpp: n=$n: only $up of $n nodes had their successor links up after ${form_timeout}s; skipped" >&2
      break
    fi
    sleep 5
    up=$(links_up "${hosts[@]}")
  done
  if [ "$up" -eq "$n" ]; then
    formed=$(since "$start")
    echo "bench xmpp: n=$n: successor links up on every node ${formed}s after the first start" >&2
    sleep "$settle"

    read -r secs d <<< "$(window - "${hosts[@]}")"
    steady=$(awk -v d="$d" -v s="$secs" 'BEGIN { split(d, x); printf "%.6f %.6f %.6f %.6f\n", x[1]/s, x[2]/s, x[3]/s, x[4]/s }')
    s_per=$(per "$d" "$secs" "$n")
    echo "bench xmpp: n=$n steady over ${secs}s, per node: $s_per (stanzas/s in, out; B/s in, out)" >&2
    rate_of() { awk -v r="$steady" -v k="$1" -v n="$n" 'BEGIN { split(r, x); printf "%.6f %.6f %.6f %.6f\n", x[1]*k/n, x[2]*k/n, x[3]*k/n, x[4]*k/n }'; }

    # Join: node N starts; the steady figure scaled to N+1 nodes is the baseline.
    joiners=("${hosts[@]}" "$n")
    read -r secs d <<< "$(window "tb_overlay_node_start $n $jar >/dev/null" "${joiners[@]}")"
    j_extra=$(extra "$d" "$secs" "$(rate_of $((n + 1)))")
    j_per=$(per "$d" "$secs" "$((n + 1))")
    j_new=$(wire "$n")
    j_up=$(links_up "$n")
    echo "bench xmpp: n=$n join over ${secs}s: extra $j_extra (stanzas in, out; bytes in, out) over $((n + 1)) nodes;" \
      "the newcomer itself $j_new; its links up: $([ "$j_up" = 1 ] && echo yes || echo no)" >&2

    # Kill: one of the N+1, not the newcomer; the N left are measured.
    victim=$((n / 2))
    rest=()
    for h in "${joiners[@]}"; do [ "$h" = "$victim" ] || rest+=("$h"); done
    read -r secs d <<< "$(window "tb_overlay_node_stop $victim KILL" "${rest[@]}")"
    k_extra=$(extra "$d" "$secs" "$(rate_of "$n")")
    k_per=$(per "$d" "$secs" "$n")
    echo "bench xmpp: n=$n kill over ${secs}s: extra $k_extra over the $n nodes left" >&2

    ev_per() { awk -v e="$1" -v n="$2" 'BEGIN { split(e, x); printf "%.1f / %.1f | %.0f / %.0f", x[1]/n, x[2]/n, x[3]/n, x[4]/n }'; }
    slash() { awk -v e="$1" 'BEGIN { split(e, x); printf "%s / %s | %s / %s", x[1], x[2], x[3], x[4] }'; }
    echo
    echo "n = $n nodes (successor links up on all ${formed}s after the first start; windows of ${window}s; presence every $presence; in = server to node)"
    echo
    echo "| window | stanzas/s per node (in / out) | B/s per node (in / out) | extra stanzas, whole overlay (in / out) | extra bytes, whole overlay (in / out) | extra stanzas per node (in / out) | extra bytes per node (in / out) |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    echo "| steady | $(slash "$s_per") | — | — | — | — |"
    echo "| one node joins | $(slash "$j_per") | $(slash "$j_extra") | $(ev_per "$j_extra" $((n + 1))) |"
    echo "| one node killed | $(slash "$k_per") | $(slash "$k_extra") | $(ev_per "$k_extra" "$n") |"
    summary+=("| $n | $(slash "$s_per") | $(awk -v e="$j_extra" 'BEGIN { split(e, x); printf "%d | %d", x[1] + x[2], x[3] + x[4] }') | $(awk -v e="$k_extra" 'BEGIN { split(e, x); printf "%d | %d", x[1] + x[2], x[3] + x[4] }') | $formed |")
  fi
  for ((i = 0; i <= n; i++)); do tb_overlay_node_stop "$i" KILL || true; done
  tb_down
  TB_DIR=
done

echo
echo "Summary (presence every $presence; join and kill: extra over the steady rate in a ${window}s window, in + out over the whole overlay):"
echo
echo "| nodes | steady stanzas/s per node (in / out) | steady B/s per node (in / out) | join: extra stanzas | join: extra bytes | kill: extra stanzas | kill: extra bytes | links up on all (s) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${summary[@]}"
