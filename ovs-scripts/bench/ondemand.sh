#!/usr/bin/env bash
# bench.sh ondemand [--rounds N] [--hosts N] [--rate R] [--seconds T]: how an on-demand link takes
# heavy traffic over (issue 15), at the DEFAULT on-demand threshold.
#
# N hosts (default 6; a third on the internet LAN, the rest behind two endpoint-independent NATs),
# Prosody and coturn, one node and one leaf per host, one overlay without shortcuts, so some pairs
# are not adjacent (each node links to its 2 successors and 2 predecessors). Each round picks a
# pair A-B without a link and runs, from A's leaf to B's, iperf3 TCP at R (default 20M, 2.5 MB/s:
# above the default threshold of 1 MB/s) and a 100/s ping for T seconds (default 12). From A's node
# log and the first ping's send time it reports, per round: time to detect (A asks for the
# on-demand link), to link up, to carry (A's controller moved B's leaf onto the link, plus its
# 100-ms hold), pings lost within 0.5 s either side of the move and in all, and iperf3's TCP
# retransmissions in the 4 s around the move against the busiest 4 s of the same stream after it.
# Between rounds the link idles out (idle period 3 s here). Prints a markdown table.
# OV_BENCH_PREFIX names the run's namespaces (default odb), so two runs never collide.
# OV_BENCH_CAPTURE=1: per round, ns-stamped captures (tcpdump) of the flow on every interface of A's
# and B's hosts and of A's OpenFlow connection, and bench/reorder.py's account of which segments
# arrived out of order at B's leaf, which path each took and what the controller did meanwhile.
# A measurement, not a test: nothing here fails on a figure. Cleans up after itself.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ovs-scripts/lib/testbed.sh
for lib in ovs-scripts/lib/*.sh; do [ "$lib" = ovs-scripts/lib/testbed.sh ] || . "$lib"; done

rounds=3 hosts=6 rate=20M seconds=12
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench ondemand: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench ondemand: needs root" >&2; exit 1; }
[ "$hosts" -ge 6 ] || { echo "bench ondemand: needs at least 6 hosts (with 2 successors every pair of 5 is adjacent)" >&2; exit 2; }
window=4    # seconds around the move whose TCP retransmissions the move is blamed for
ping_window=1 # seconds around the move whose pings' fate the move decides (as in OverlayNodesTest)
hold_ms=100 # the controller's hold of frames toward a moving MAC (Bridge.HOLD_MILLIS)

ovs-scripts/install-deps.sh base services
ov_bench_setup
out_dir=${OV_BENCH_OUT:-/tmp/bench-ondemand}
mkdir -p "$out_dir"

# rconn_overflow H: packet-ins host H's OVS dropped so far on a full queue to the controller (held frames go that way).
# Never fails (set -e): a second run of the bench stopped silently right before its first round.
rconn_overflow() { { tb_ovs "h$1" ovs-appctl coverage/show 2>/dev/null || true; } | awk '/^rconn_overflow/ { n = $NF } END { print n + 0 }'; }

status() { tb_exec "h$1" curl -s --max-time 3 http://127.0.0.1:9410/status 2>/dev/null || true; }

# links: one "HOST PEER_ID STATE" line per link of every host.
links() {
  local i
  for ((i = 0; i < hosts; i++)); do
    status "$i" | /usr/bin/python3 -c '
import json, sys
try:
    s = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
for o in s.get("overlays", []):
    for l in o.get("links", []):
        print(sys.argv[1], l["peer"], l["state"])
' "$i"
  done
}

# capture_start A B DIR: tcpdump on every interface of hosts A and B (the flow and the ping only;
# "any" also takes the on-demand link's TAP that appears later) and on A's loopback (its OpenFlow
# connection), nanosecond stamps. Not through tb_exec: a function in the background is a subshell,
# and its PID is not tcpdump's.
capture_start() {
  local h
  for h in "$1" "$2"; do
    ip netns exec "$(tb_nsname "h$h")" tcpdump -i any -y LINUX_SLL2 -n -s 128 -B 16384 --time-stamp-precision=nano -U \
      -w "$3/h$h.pcap" "tcp port 5201 or icmp" > "$3/tcpdump-h$h.log" 2>&1 &
    capture_pids+=($!)
  done
  ip netns exec "$(tb_nsname "h$1")" tcpdump -i lo -n -s 0 -B 16384 --time-stamp-precision=nano -U -w "$3/of.pcap" \
    "tcp and not port 9410" > "$3/tcpdump-of.log" 2>&1 &
  capture_pids+=($!)
  sleep 1
}

# capture_stop A B DIR: the interfaces' names (for the captures' interface indexes), captures stopped.
capture_stop() {
  local h p
  for h in "$1" "$2"; do tb_exec "h$h" ip -o link > "$3/links-h$h.txt"; done
  sleep 0.5
  for p in "${capture_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${capture_pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

places=($(ov_bench_places "$hosts"))
tb_init "${OV_BENCH_PREFIX:-odb}" $$
tb_overlay_tune lab "shortcuts: 0" "on-demand: {idle: 3s}"
tb_overlay_net_places "$hosts" 1 "${places[@]}" >/dev/null
for ((i = 0; i < hosts; i++)); do tb_overlay_node_start "$i" "$jar" >/dev/null; done
ids=()
for ((i = 0; i < hosts; i++)); do
  for _ in $(seq 600); do
    id=$(status "$i" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["node"])' 2>/dev/null || true)
    [ -n "$id" ] && break
    sleep 0.1
  done
  [ -n "$id" ] || { echo "bench ondemand: node $i has no status" >&2; exit 1; }
  ids+=("$id")
done
# The ring: every host's two successor links up, so the pair picked below stays non-adjacent.
for _ in $(seq 120); do
  up=$(links | awk '$3 == "up"' | wc -l)
  [ "$up" -ge $(( hosts * 4 )) ] && break
  sleep 1
done
echo "bench ondemand: $hosts nodes, $up link ends up" >&2
r=$(tb_overlay_ping_all "$hosts" | tail -1) || true
echo "bench ondemand: $r" >&2

rows=()
for ((round = 1; round <= rounds; round++)); do
  # The first pair with no link between them (the same one every round: its link idles out between rounds).
  all=$(links)
  pair=
  for ((a = 0; a < hosts; a++)); do
    for ((b = a + 1; b < hosts; b++)); do
      if ! grep -q -e "^$a ${ids[$b]} " -e "^$b ${ids[$a]} " <<< "$all"; then pair="$a $b"; break 2; fi
    done
  done
  [ -n "$pair" ] || { echo "bench ondemand: every pair is adjacent" >&2; break; }
  read -r a b <<< "$pair"
  d="$out_dir/round-$round"
  mkdir -p "$d"
  ovf_a=$(rconn_overflow "$a") ovf_b=$(rconn_overflow "$b")
  capture_pids=()
  if [ "${OV_BENCH_CAPTURE:-0}" = 1 ]; then capture_start "$a" "$b" "$d"; fi
  tb_exec "lf$b" iperf3 -s -1 > "$d/iperf-server.txt" 2>&1 &
  server=$!
  sleep 1
  tb_exec "lf$a" ping -D -i 0.01 -c $(( seconds * 100 )) "$(ov_leaf_ip "$b")" > "$d/ping.txt" 2>&1 &
  pinger=$!
  tb_exec "lf$a" iperf3 -c "$(ov_leaf_ip "$b")" -t "$seconds" -b "$rate" -i 0.5 -J > "$d/iperf.json" 2>"$d/iperf.err" || true
  wait "$pinger" || true
  wait "$server" 2>/dev/null || true
  if [ "${OV_BENCH_CAPTURE:-0}" = 1 ]; then capture_stop "$a" "$b" "$d"; fi
  for ((i = 0; i < hosts; i++)); do cp "$TB_DIR/node$i.log" "$d/node$i.log"; done
  ovf="$(( $(rconn_overflow "$a") - ovf_a ))/$(( $(rconn_overflow "$b") - ovf_b ))"
  read -r detect linkup carry lost_around lost_total sent re_around re_base re_total < <(/usr/bin/python3 \
    "$repo/ovs-scripts/bench/ondemand.py" "$d/node$a.log" "${ids[$b]:0:8}" "$d/ping.txt" "$d/iperf.json" "$window" "$ping_window" "$hold_ms")
  mbit=$(/usr/bin/python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))' \
    "$d/iperf.json" 2>/dev/null || echo "-")
  echo "bench ondemand: round $round, $a -> $b: detect ${detect}s, link up ${linkup}s, carrying ${carry}s;" \
    "pings lost $lost_around around the move, $lost_total/$sent in all; retransmits $re_around around, $re_base busiest window after," \
    "$re_total in all; $mbit Mbit/s; packet-ins dropped by OVS (A/B) $ovf" >&2
  if [ "${OV_BENCH_CAPTURE:-0}" = 1 ]; then
    /usr/bin/python3 "$repo/ovs-scripts/bench/reorder.py" "$d" "$a" "$b" > "$d/reorder.txt" 2>&1 || true
    sed 's/^/bench ondemand: /' "$d/reorder.txt" >&2
  fi
  rows+=("| $round | $a-$b | $detect | $linkup | $carry | $lost_around | $lost_total / $sent | $re_around | $re_base | $re_total | $mbit | $ovf |")
  # The link idles out (3 s) before the next round asks for it again.
  for _ in $(seq 60); do
    all=$(links)
    grep -q -e "^$a ${ids[$b]} " -e "^$b ${ids[$a]} " <<< "$all" || break
    sleep 1
  done
done

echo
echo "On-demand switch-over at the default threshold ($hosts nodes, iperf3 TCP at $rate and a 100/s ping for ${seconds} s;"
echo "seconds since the first ping; pings around the move: sent within ${ping_window} s around the logged move; retransmits: ${window} s around it):"
echo
echo "| round | pair | detected (s) | link up (s) | carrying (s) | pings lost around the move | pings lost in all | TCP retransmits around the move | busiest ${window}-s window after | retransmits in all | Mbit/s | packet-ins dropped by OVS (A/B) |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
