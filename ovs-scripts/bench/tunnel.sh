#!/usr/bin/env bash
# bench.sh tunnel: our tunnel against userspace VPN peers on one two-namespace testbed, in one run.
#
# Testbed run "tab" (BENCH_PREFIX overrides it; namespaces tab-h1, tab-h2, tab-l1, tab-l2; torn down on exit):
#   tab-l1 (10.201.100.1) - [tab-h1 br0] - 10.201.0.1 === veth === 10.201.0.2 - [tab-h2 br0] - tab-l2 (10.201.100.2)
# Each host has a private OVS (netdev datapath, standalone bridge, NORMAL). Paths measured, one
# after the other with the same iperf3 settings (TCP single stream and -P 4) and ping:
#   underlay        h1 -> h2 over the veth
#   ours-tunnel     our tunnel alone: addresses on the two TAPs, no OVS
#   ours-tunnel-b   the same with BENCH_B_JAVA_OPTS (ours-tunnel-c, -d: BENCH_C_JAVA_OPTS, ...) added to
#                   the agents' JVM options, and BENCH_B_JAR (C, D) instead of TUNNEL_AGENT_JAR if set:
#                   an A/B of a setting or of two builds in one run (only when named in --only)
#   ours-leaf       leaf -> OVS -> our tunnel -> OVS -> leaf (what users get)
#   ours-leaf-b     the same with BENCH_B_JAVA_OPTS (ours-leaf-c, -d: BENCH_C_JAVA_OPTS, ...) added and BENCH_B_JAR (C, D)
#                   instead of TUNNEL_AGENT_JAR if set: two builds' leaf throughput in one run, right
#                   after each other in every round; the report gives each round's B/A and B/tinc-ovs
#                   (only when named in --only)
#   wireguard-go    L3, MTU 1420, endpoint to endpoint
#   tinc            tinc 1.0 Mode = switch (TAP), endpoint to endpoint
#   openvpn         OpenVPN 2.6 tap, TLS p2p with pinned fingerprints, AES-256-GCM
#   tinc-ovs        tinc's TAP as a port of each bridge, leaf to leaf (our overlay's shape)
#   ovs-ceiling     leaf -> bridge -> veth -> bridge -> leaf, no tunnel
#   ours-reflexive  our tunnel alone (ICE), both ends behind endpoint-independent NATs
#   ours-relayed    our tunnel alone (ICE), one end behind a symmetric NAT: through coturn
#   ours-relayed-b  ours-relayed with BENCH_B_JAVA_OPTS (-c: BENCH_C_JAVA_OPTS) added to the agents'
#                   JVM options, and BENCH_B_JAR (C) instead of TUNNEL_AGENT_JAR if set: an A/B of a
#                   setting or of two builds on the relayed path in one run (only when named);
#                   ours-reflexive-b, -c the same on the reflexive path
#   relay-ceiling   the ours-relayed UDP path through coturn without our tunnel: a TURN
#                   channel blasted full of datagrams as large as the tunnel's (1448 bytes of payload),
#                   the far end counts what arrives
#   relay-ceiling-b the same with BENCH_B_JAR's ceiling (only when named)
#   relay-ceiling-ramp  the same channel, paced: the offered rate climbs from BENCH_RAMP_FROM to
#                   BENCH_RAMP_TO Mbit/s (default 300 to 2000) over the run; the figure is the best
#                   250-ms bin that arrived with under 1% lost (only when named)
#   rtt-interleaved the tunnel-alone RTTs of ours, tinc, openvpn and wireguard-go measured side by
#                   side: all four up at once, their pings interleaved in the same seconds (rows
#                   rtt-NAME; only when named in --only). With BENCH_B_JAR or BENCH_B_JAVA_OPTS set
#                   (C: BENCH_C_*) also rtt-ours-tunnel-b (-c): a second pair of our agents with that
#                   jar/options up beside the first, pinged in the same seconds; the report gives each
#                   round's B/A ratio. A/B of two builds: TUNNEL_AGENT_JAR=a.jar BENCH_B_JAR=b.jar
#                   bench.sh tunnel --only rtt-interleaved --rounds 3 --pings 200 --idle 0
#   rtt-leaf-interleaved  the leaf-to-leaf RTTs of ours-leaf and tinc-ovs side by side: both up at
#                   once, tinc on twin hosts h3/h4 built like h1/h2 (own OVS, br0, leaves l7/l8), so
#                   OVS reads both paths' ports alike; their pings interleaved in the same seconds
#                   (rows rtt-ours-leaf, rtt-tinc-ovs; only when named in --only);
#                   rtt-leaf-interleaved-full: the same after measure()'s whole load on each path
#                   (rows -full); rtt-leaf-alternating: the same beds, pinged in alternate 1-s
#                   blocks (rows -alt); rtt-leaf-shared: the tenth session's bed, tinc on a second
#                   bridge br1 of h1/h2's OVS (rows -shared; see run_rtt_leaf_interleaved for why
#                   that one favours whichever path's ports OVS happens to read first).
#                   With BENCH_B_JAR or BENCH_B_JAVA_OPTS set, also rtt-ours-leaf-b: a second pair of
#                   our agents with that jar/options on twin hosts h5/h6 (leaves l9/l10; shared bed:
#                   a bridge br2 with l5/l6), pinged in the same seconds; the report gives each
#                   round's B/A and B/tinc-ovs. A/B of two builds on the leaf path:
#                   TUNNEL_AGENT_JAR=a.jar BENCH_B_JAR=b.jar bench.sh tunnel --only
#                   rtt-leaf-interleaved,rtt-leaf-alternating --rounds 3 --pings 200 --idle 0
#                   (then the jars swapped). BENCH_HOPS=1: every leaf path's hops from the same seconds
# The last three run on a second testbed of NAT routers and coturn (built on first use):
#   tab-inet (coturn 10.203.10.1) - tab-n1 (eim) - tab-r1 | tab-n2 (eim) - tab-r2 | tab-n3 (symmetric) - tab-r3
# BENCH_NAT_OFFLOADS="ethtool -K features" (e.g. "tx on gso on"): set on every veth of that testbed
#   (default: all offloads off, as tb_link leaves them for OVS's sake; no OVS forwards here). With
#   them off, a sender's GSO datagrams are cut at its first veth and the NAT hops forward each
#   datagram on the sender's CPU (a real NAT router's work, on another machine in a deployment).
# BENCH_RELAY_CPU=N (coturn on its own server, as a deployment runs it): each of those NAT paths
#   (ours-reflexive, ours-relayed[-b,-c], relay-ceiling[-ramp]) is measured twice per round, as it
#   is and then as NAME-pinned: coturn (all its threads) on CPU N, everything else of the run
#   (both agents or the ceiling's sender and receiver, iperf3 client and server, and the kernel
#   work they cause) on the other CPUs. Every pinned path gets the same CPUs for our side, so
#   ours-reflexive-pinned (coturn idle) and ours-relayed-pinned compare what our side carries on
#   one budget, and relay-ceiling-pinned shows what coturn carries on a core of its own.
# NAME-turnb (only when named): a NAT path with coturn restarted on BENCH_TURN_B_OPTS added to its
#   config, then back: an A/B of a coturn setting in one run (NAME-turnb-pinned: also pinned).
# These are measurements, not tests. Figures go to stdout as a markdown table and to $OUT_DIR.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# The bridges' OVS daemons at nice 0, as in every tunnel figure before the fifth session (the
# testbed's default became -10, ovs-ctl's, for the node tests): here both ends, both bridges and the
# pinger share two cores, and at -10 OVS starves the tunnel processes of both ours-leaf and
# tinc-ovs (one A/B run: leaf to leaf 576 -> 314 Mbit/s, tinc-ovs 273 -> 144). TB_OVS_NICE=-10
# measures that case.
TB_OVS_NICE=${TB_OVS_NICE:-0}
# Leaf ports keep the kernel's default socket buffer in OVS, as in every earlier tunnel figure
# (lib/testbed.sh raises it for the tests; both leaf paths here, ours-leaf and tinc-ovs, alike).
TB_LEAF_RCVBUF=${TB_LEAF_RCVBUF:-0}
# shellcheck source=../lib/testbed.sh
. "$REPO/ovs-scripts/lib/testbed.sh"
# shellcheck source=../lib/nat.sh
. "$REPO/ovs-scripts/lib/nat.sh"
# shellcheck source=../lib/turn.sh
. "$REPO/ovs-scripts/lib/turn.sh"

DURATION=${BENCH_DURATION:-5}
# Seconds every path runs before its measured ones (JIT compilation, ARP and MAC learning, TCP
# caches): iperf3 for the tunnels and peers, the blaster for relay-ceiling (its sink leaves them out).
# 8, not 2 (until the thirteenth session): on a core shared with the stream (coturn pinned), our
# agents' C2 threads were still compiling the data path 9-12% of that core in the measured seconds
# after 2 s of warm-up, 3-4% after 8 (the ceiling's JVMs have little to compile).
WARMUP=${BENCH_WARMUP:-8}
ROUNDS=${BENCH_ROUNDS:-1}
PATHS="underlay ours-tunnel ours-leaf wireguard-go tinc openvpn tinc-ovs ovs-ceiling ours-reflexive ours-relayed relay-ceiling"
JAR=${TUNNEL_AGENT_JAR:-$REPO/tunnel-agent/target/tunnel-agent.jar}
OUT_DIR=${BENCH_OUT:-$REPO/tunnel-agent/target/bench}
# Testbed prefix: namespaces are PREFIX-h1 ...; parallel runs (or a test suite) need distinct ones.
PREFIX=${BENCH_PREFIX:-tab}
JFR=0
IDLE_TUNNELS=${BENCH_IDLE_TUNNELS:-50}
# A small heap, and Serial GC, whose cheaper allocation and barriers measurably help a 2-core data
# path. Not all of a node's options: a node runs C1 only (packaging/deb/files/node.jvm), so its
# records go through libcrypto, here through the JDK cipher on C2 (README, "JIT"); an ours-tunnel-b
# with BENCH_B_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1" measures a node's JIT.
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
PINGS=${BENCH_PINGS:-20}

usage() {
  cat <<USAGE
usage: bench.sh tunnel [options]
  --duration S   iperf3 seconds per measurement (default $DURATION)
  --warmup S     seconds each throughput path runs before its measured ones (default $WARMUP;
                 BENCH_WARMUP): iperf3 for tunnels and peers, the blaster for relay-ceiling[-ramp];
                 NAME-warmb in --only: that path with BENCH_WARMUP_B s (default 8) instead
  --only LIST    comma-separated subset of: ${PATHS// /,}
                 (and ours-tunnel-b, -c, -d, ours-leaf-b, -c, -d, ours-relayed-b, -c, ours-reflexive-b, -c,
                 relay-ceiling-ramp, relay-ceiling-b,
                 rtt-interleaved, rtt-leaf-interleaved[-full], rtt-leaf-alternating, rtt-leaf-shared: run only
                 when named here)
  --rounds N     repeat all paths N times, interleaved, and report per-path medians
                 (the machine may be shared and busy; default $ROUNDS)
  --jfr          record our agents with JFR (files in the output dir)
  --idle N       memory per idle tunnel from N + N tunnels in one JVM (default $IDLE_TUNNELS; 0 skips)
  --pings N      pings per RTT figure, 50 ms apart (default $PINGS); the figure is their mean
Results: a markdown table on stdout, also saved under $OUT_DIR/.
Environment: TUNNEL_AGENT_JAR (default tunnel-agent/target/tunnel-agent.jar), BENCH_JAVA_OPTS, BENCH_DIAG=1
  (UDP/TCP drop counters after each path, tunnel counters after ours), BENCH_HOPS=1 (where the
  pings' time goes, hop by hop, from captures on every interface they cross: ours-leaf and tinc-ovs
  leaf to leaf; ours-tunnel, tinc, openvpn and wireguard-go tunnel alone; in rtt-leaf-interleaved and
  -alternating every leaf path side by side, per-ping hop files rtt-NAME-rN-hops.tsv), BENCH_B_JAVA_OPTS,
  BENCH_C_JAVA_OPTS, BENCH_D_JAVA_OPTS, BENCH_B_JAR, BENCH_C_JAR, BENCH_D_JAR (for ours-tunnel-b, -c, -d:
  options added, another agent jar; B and C also add rtt-ours-tunnel-b, -c to rtt-interleaved: a
  second, third pair of our agents pinged side by side with the first; B adds rtt-ours-leaf-b to
  rtt-leaf-interleaved and -alternating, on twin hosts of its own), BENCH_PREFIX (testbed prefix,
  default tab: namespaces tab-h1 ...), BENCH_CPU=1 (NAT paths and relay-ceiling: CPU per thread of
  the tunnel ends, iperf3 and coturn during the single stream), BENCH_PERF=1 (with BENCH_CPU: perf -a
  profile and system calls per thread, files in the output dir), BENCH_RELAY_CPU=N (NAT paths also
  measured as NAME-pinned: coturn alone on CPU N, everything else on the other CPUs),
  BENCH_TURN_OPTS (lines added to coturn's config, space-separated, e.g. "relay-threads=0"),
  BENCH_TURN_B_OPTS (for NAME-turnb: any NAT path named with that suffix in --only runs with coturn
  restarted on BENCH_TURN_OPTS plus these, then coturn goes back: an A/B of a coturn setting;
  NAME-turnb-pinned: the same pinned).
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --only) PATHS=${2//,/ }; shift 2 ;;
    --jfr) JFR=1; shift ;;
    --idle) IDLE_TUNNELS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --pings) PINGS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench tunnel: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || { echo "bench tunnel: run as root" >&2; exit 1; }
for p in iperf3 ovs-vswitchd wireguard-go wg tincd openvpn openssl turnserver nft /usr/bin/python3; do
  command -v "$p" >/dev/null || { echo "bench tunnel: missing $p (ovs-scripts/install-deps.sh all)" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "bench tunnel: $JAR missing: cd $REPO && mvn -q -pl tunnel-agent -am install -DskipTests" >&2; exit 1; }
mkdir -p "$OUT_DIR"

tb_init "$PREFIX" $$
# Keep the run's logs (agents, tinc, openvpn, wireguard-go) for a look after the fact.
trap 'mkdir -p "$OUT_DIR/logs"; cp "$TB_DIR"/*.log "$TB_DIR"/*.out "$OUT_DIR/logs/" 2>/dev/null; tb_down' EXIT
W=$TB_DIR

# ---- testbed -------------------------------------------------------------------------------
tb_ns h1; tb_ns h2
tb_link h1 eth0 h2 eth0
tb_exec h1 ip addr add 10.201.0.1/24 dev eth0
tb_exec h2 ip addr add 10.201.0.2/24 dev eth0
for h in h1 h2; do
  tb_ovs_start "$h"
  tb_vsctl "$h" add-br br0 -- set bridge br0 datapath_type=netdev fail-mode=standalone
  tb_exec "$h" ip link set br0 up
done
tb_leaf h1 l1 br0 10.201.100.1/24
tb_leaf h2 l2 br0 10.201.100.2/24
for ns in h2 l2; do tb_spawn "iperf3-$ns" "$ns" iperf3 -s -p 5201 >/dev/null; done
sleep 0.5

# ---- measuring -----------------------------------------------------------------------------
RESULTS=$W/results.tsv
: > "$RESULTS"

# measure NAME FROM_NS TO_IP [PROC_REGEX]: iperf3 single stream and -P 4, ping RTT; with PROC_REGEX
# (names in the run's pid list) also the CPU the tunnel processes spent per GB carried, a figure
# that holds up better than Mbit/s on a shared, busy machine.
measure() {
  local name=$1$PATH_SUFFIX from=$2 to=$3 procs=${4:-} one four rtt c0 c1 bytes rev cpu=-
  tb_exec "$from" ping -q -c 3 -W 2 "$to" >/dev/null 2>&1 || { echo "  $name: no connectivity" >&2; echo -e "$name\t-\t-\t-\t-" >> "$RESULTS"; return 0; }
  # Warm-up, not measured: JIT compilation, ARP and MAC learning, TCP caches.
  [ "$WARMUP" -gt 0 ] && { tb_exec "$from" iperf3 -c "$to" -p 5201 -t "$WARMUP" >/dev/null 2>&1 || true; }
  [ "${BENCH_DIAG:-0}" = 1 ] && diag "$from" quiet > /dev/null
  c0=$(cpu_ticks "$procs")
  cpu_split_start "$name"
  read -r one bytes < <(tb_exec "$from" iperf3 -J -c "$to" -p 5201 -t "$DURATION" 2>/dev/null | iperf_figures)
  c1=$(cpu_ticks "$procs")
  cpu_split_end "$name"
  if [ "${BENCH_DIAG:-0}" = 1 ] && [[ $from == r* ]]; then
    echo "    during the single stream:" >&2; diag "$from" >&2
    # The other direction: on a relayed pair it enters the TURN server by the other socket.
    read -r rev _ < <(tb_exec "$from" iperf3 -J -R -c "$to" -p 5201 -t "$DURATION" 2>/dev/null | iperf_figures)
    echo "    reverse single stream (-R): $rev Mbit/s" >&2; diag "$from" >&2
  fi
  if [ -n "$procs" ] && [ "$bytes" != "-" ] && [ "$bytes" -gt 0 ]; then
    cpu=$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v b="$bytes" 'BEGIN { printf "%.1f", t / hz / (b / 1e9) }')
  fi
  read -r four _ < <(tb_exec "$from" iperf3 -J -c "$to" -p 5201 -t "$DURATION" -P 4 2>/dev/null | iperf_figures)
  [ "${BENCH_HOPS:-0}" = 1 ] && [ -n "${HOP_TAPS:-}" ] && hops_start "$name" ${HOP_MODE:-leaf} $HOP_TAPS
  [ "${BENCH_HOPS:-0}" = 1 ] && [ -n "$procs" ] && /usr/bin/python3 "$HERE/sched.py" snap "$W/pids" "$procs" > "$W/$name-sched0"
  # Every ping's own RTT kept (OUT_DIR/pings-NAME.txt, a "round N" line before each): a mean hides
  # whether a path was slow throughout or in a stretch (e.g. the first pings after iperf3).
  echo "round ${BENCH_ROUND:-1}" >> "$OUT_DIR/pings-$name.txt"
  rtt=$(tb_exec "$from" ping -c "$PINGS" -i 0.05 "$to" | tee -a "$OUT_DIR/pings-$name.txt" | awk -F/ '/^rtt/ { print $5 }')
  if [ "${BENCH_HOPS:-0}" = 1 ] && [ -n "$procs" ]; then
    /usr/bin/python3 "$HERE/sched.py" snap "$W/pids" "$procs" > "$W/$name-sched1"
    echo "  $name: threads that ran most while the pings ran" >&2
    /usr/bin/python3 "$HERE/sched.py" diff "$W/$name-sched0" "$W/$name-sched1" "$PINGS" >&2 || true
  fi
  [ "${BENCH_HOPS:-0}" = 1 ] && [ -n "${HOP_TAPS:-}" ] && hops_end "$name" ${HOP_MODE:-leaf} $HOP_TAPS
  echo "  $name: ${one} Mbit/s, -P 4 ${four} Mbit/s, RTT ${rtt} ms, tunnel CPU ${cpu} s/GB" >&2
  [ "${BENCH_DIAG:-0}" = 1 ] && [[ $from != r* ]] && diag "$from" >&2
  echo -e "$name\t$one\t$four\t$rtt\t$cpu" >> "$RESULTS"
}

# BENCH_CPU=1: where both cores go during a single stream (NAT testbed paths: the namespaces in
# CPU_NS), per process and thread, and the machine's user/system/softirq/idle, from the middle of
# the stream (tools/cpu-split.py). BENCH_PERF=1 also records perf -a -g over the same seconds
# (OUT_DIR/perf-NAME.data; add -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit to
# BENCH_JAVA_OPTS for the JIT's symbols). Both cost a little CPU themselves: diagnosis, not figures.
CPU_SPLIT_PIDS=
cpu_split_start() {
  CPU_SPLIT_PIDS=
  [ "${BENCH_CPU:-0}" = 1 ] && [ -n "${CPU_NS:-}" ] || return 0
  local secs=$((DURATION > 3 ? DURATION - 2 : 1))
  # shellcheck disable=SC2086
  ( sleep 1; /usr/bin/python3 "$REPO/ovs-scripts/tools/cpu-split.py" "$secs" $CPU_NS > "$W/cpu-$1.txt" 2>&1 ) &
  CPU_SPLIT_PIDS=$!
  if [ "${BENCH_PERF:-0}" = 1 ]; then
    ( sleep 1; perf record -q -a -g -F 499 -o "$OUT_DIR/perf-$1.data" -- sleep "$secs" > /dev/null 2>&1 ) &
    CPU_SPLIT_PIDS="$CPU_SPLIT_PIDS $!"
    # System calls per thread of the tunnel ends (or the ceiling's java) and coturn: counted, not sampled.
    local ns p procs=
    for ns in $CPU_NS; do
      for p in $(ip netns pids "$ns"); do
        case "$(cat "/proc/$p/comm" 2>/dev/null)" in java|turnserver) procs="$procs${procs:+,}$p" ;; esac
      done
    done
    if [ -n "$procs" ]; then
      ( sleep 1; perf stat --per-thread -p "$procs" -x, -o "$OUT_DIR/syscalls-$1.csv" \
          -e syscalls:sys_enter_recvmmsg,syscalls:sys_enter_sendmmsg,syscalls:sys_enter_read,syscalls:sys_enter_write \
          -e syscalls:sys_enter_ppoll,syscalls:sys_enter_poll,syscalls:sys_enter_sendto,syscalls:sys_enter_recvmsg \
          -e syscalls:sys_enter_epoll_wait,syscalls:sys_enter_sched_yield -- sleep "$secs" > /dev/null 2>&1 ) &
      CPU_SPLIT_PIDS="$CPU_SPLIT_PIDS $!"
    fi
  fi
}
cpu_split_end() {
  [ -n "$CPU_SPLIT_PIDS" ] || return 0
  # shellcheck disable=SC2086
  wait $CPU_SPLIT_PIDS 2>/dev/null || true
  echo "    CPU during the single stream of $1:" >&2; cat "$W/cpu-$1.txt" >&2
}

# diag FROM_NS [quiet]: drop counters where a measurement's datagrams may die. The first testbed:
# h1, h2 (nstat totals since the namespace was made; packet-socket drops are OVS reading its ports
# too late, totals since its port was added). The NAT testbed: coturn's namespace and the NATed
# hosts, nstat as the change since the previous diag, and coturn's UDP sockets one by one
# (receive buffer; drops since the previous diag): its listening socket or a relay socket.
# Prints on stdout: callers send it to stderr (a second descriptor opened on /dev/stderr would
# write over the bench's log at its own offset) or, for "quiet" (only the snapshot the next call
# compares with), to /dev/null.
diag() {
  local h
  if [[ $1 == r* ]]; then
    for h in inet r1 r2 r3; do
      echo "    [$h] $(NSTAT_HISTORY=$W/nstat-$h tb_exec $h nstat -z 2>/dev/null | awk '/UdpInDatagrams|UdpRcvbufErrors|UdpSndbufErrors|UdpInErrors|TcpRetransSegs|TcpOutSegs/ { printf "%s=%s ", $1, $2 }')"
    done
    touch "$W/coturn-drops"
    tb_exec inet ss -Huanm 2>/dev/null | awk '/^UNCONN/ { sock = $4; next } /skmem/ { match($0, /rb[0-9]+/); rb = substr($0, RSTART + 2, RLENGTH - 2); match($0, /,d[0-9]+/); print sock, rb, substr($0, RSTART + 2, RLENGTH - 2) }' > "$W/coturn-drops.new"
    awk 'NR == FNR { before[$1] = $3; next } { d = $3 - before[$1]; if (d > 0 || $1 ~ /:3478$/) printf "    [coturn %s] rcvbuf=%d drops=%d\n", $1, $2, d }' \
      "$W/coturn-drops" "$W/coturn-drops.new"
    mv "$W/coturn-drops.new" "$W/coturn-drops"
    return 0
  fi
  [ "${2:-}" = quiet ] && return 0
  for h in h1 h2; do
    echo "    [$h] $(tb_exec $h nstat -az 2>/dev/null | awk '/UdpRcvbufErrors|UdpSndbufErrors|UdpInErrors|TcpRetransSegs/ { printf "%s=%s ", $1, $2 }')ovs-packet-socket-drops=$(tb_exec $h ss -0 -a -m 2>/dev/null | grep -o ',d[0-9]*)' | tr -dc '0-9\n' | awk '{ s += $1 } END { print s + 0 }')"
  done
}

# hops_start NAME MODE TAP1 TAP2 / hops_end NAME MODE TAP1 TAP2 (BENCH_HOPS=1): captures with
# nanosecond host timestamps on every interface a ping crosses while the RTT pings run, then the
# median, mean and 90th percentile of each hop (bench/hops.py) on stderr. MODE leaf: both leaves,
# the bridge side of each leaf's veth, each tunnel's TAP (or TUN), the underlay; MODE tunnel (the
# tunnel alone, pinged from h1 to the address on h2's TAP): each TAP and the underlay. libpcap's
# default buffered mode wakes each tcpdump about once a second, not per packet.
# HOP_LEAVES="LEAF1 LEAF2" (default "l1 l2") names a leaf path's leaves, HOP_HOSTS="NS1 NS2" (default
# "h1 h2") the namespaces its ends run in (captures are still named h1, h2), HOP_UDP a tcpdump filter
# that keeps only this path's tunnel datagrams on a shared underlay (default: every datagram; the
# shared side-by-side bed carries two tunnels over it, see side_hops).
hop_specs() {
  local l1=${HOP_LEAVES%% *} l2=${HOP_LEAVES##* }
  if [ "$1" = tunnel ]; then echo h1:TAP1 h1:eth0 h2:eth0 h2:TAP2; else echo $l1:eth0 h1:$l1 h1:TAP1 h1:eth0 h2:eth0 h2:TAP2 h2:$l2 $l2:eth0; fi
}
HOP_LEAVES="l1 l2"
hop_ns() {
  case "$1" in h1) echo "${HOP_HOSTS%% *}" ;; h2) echo "${HOP_HOSTS##* }" ;; *) echo "$1" ;; esac
}
HOP_HOSTS="h1 h2"
hops_start() {
  local spec ns ifc
  for spec in $(hop_specs "$2"); do
    spec=${spec/TAP1/$3}; spec=${spec/TAP2/$4}; ns=${spec%%:*} ifc=${spec#*:}
    tb_spawn "hops-$1-$ns-$ifc" "$(hop_ns "$ns")" tcpdump -i "$ifc" -s 160 --time-stamp-precision=nano \
      -w "$W/$1-$ns-$ifc.pcap" "icmp or (udp${HOP_UDP:+ and ($HOP_UDP)})" > /dev/null
  done
  [ "${HOP_NOWAIT:-0}" = 1 ] || sleep 1.5
}
hops_end() {
  local spec ns ifc
  [ "${HOP_NOWAIT:-0}" = 1 ] || sleep 0.5
  for spec in $(hop_specs "$2"); do
    spec=${spec/TAP1/$3}; spec=${spec/TAP2/$4}; ns=${spec%%:*} ifc=${spec#*:}
    stop_named "hops-$1-$ns-$ifc"
    tcpdump -r "$W/$1-$ns-$ifc.pcap" -n -tt --time-stamp-precision=nano 2>/dev/null > "$W/$1-$ns-$ifc.txt" || true
  done
  # shellcheck disable=SC2086
  /usr/bin/python3 "$HERE/hops.py" "$W" "$1" "$3" "$4" "$2" $HOP_LEAVES >&2 || true
  cp "$W/$1-hops.tsv" "$OUT_DIR/" 2>/dev/null || true
}

# side_hops start|end (BENCH_HOPS=1 in the side-by-side leaf beds): hops_start/hops_end for every
# path of SIDE_HOPS ("NAME:TAP1:TAP2:LEAF1:LEAF2:UDP-FILTER:HOST1:HOST2 ...", filter with _ for
# spaces, - for none; hosts default h1 h2) at once, so the per-hop split of ours and tinc comes from
# the same seconds; and what the scheduler saw of all their tunnel processes over the pings
# (sched.py, per ping of one path). In alternate blocks only each path's first block is matched
# (every block's pings count from 1).
side_hops() {
  local spec name t1 t2 a b f n1 n2
  [ "${BENCH_HOPS:-0}" = 1 ] && [ -n "${SIDE_HOPS:-}" ] || return 0
  [ "$1" = start ] || sleep 0.5
  for spec in $SIDE_HOPS; do
    IFS=: read -r name t1 t2 a b f n1 n2 <<< "$spec"
    f=${f#-}
    HOP_NOWAIT=1 HOP_LEAVES="$a $b" HOP_HOSTS="${n1:-h1} ${n2:-h2}" HOP_UDP=${f//_/ } \
      "hops_$1" "rtt-$name-r${BENCH_ROUND:-1}" leaf "$t1" "$t2"
  done
  if [ "$1" = start ]; then
    sleep 1.5
    /usr/bin/python3 "$HERE/sched.py" snap "$W/pids" '^(ours|tinc)' > "$W/side-sched0"
  else
    /usr/bin/python3 "$HERE/sched.py" snap "$W/pids" '^(ours|tinc)' > "$W/side-sched1"
    echo "  side by side: threads that ran most while the pings ran (per ping of one path)" >&2
    /usr/bin/python3 "$HERE/sched.py" diff "$W/side-sched0" "$W/side-sched1" "$PINGS" >&2 || true
  fi
}

# cpu_ticks REGEX: user+system clock ticks of the run's processes whose recorded name matches.
cpu_ticks() {
  local total=0 pid t
  [ -n "$1" ] || { echo 0; return; }
  for pid in $(awk -v re="$1" '$2 ~ re { print $1 }' "$W/pids"); do
    t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}

# wait_ping FROM_NS TO_IP: up to 20 s for a path to come up (key exchange, learning).
wait_ping() {
  local _
  for _ in $(seq 40); do
    tb_exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 0
}

# iperf_figures: "Mbit/s bytes" received, from iperf3 -J on stdin.
iperf_figures() {
  /usr/bin/python3 -c 'import json,sys
try:
    s = json.load(sys.stdin)["end"]["sum_received"]
    print(round(s["bits_per_second"] / 1e6), int(s["bytes"]))
except Exception:
    print("- -")'
}

# ---- our agent, signaled by hand through FIFOs ------------------------------------------------
LOW=0123456789abcdef0123456789abcdef
HIGH=fedcba9876543210fedcba9876543210

# ours_start EXTRA_ARGS...: two harnesses (h1 low, h2 high), signaling swapped, waits for UP.
# OURS_NS="NS1 NS2" runs side h1 and side h2 in other namespaces (the NAT testbed, ICE only; a
# twin leaf bed's hosts, whose own OVS the TAPs then join).
# OURS_TAG (default ours) names the pair's files (TAG-h1.in/.out), pid names (TAG-h1) and state
# directories, and OURS_TAP its TAP prefix (default ta): a second pair (rtt-interleaved's B) runs
# beside the first in the same namespaces, on its own ephemeral ports; OURS_BRIDGE (default br0)
# the bridge its TAPs join (rtt-leaf-interleaved's B pair: br2). The pair's signaling fds
# are kept in OURS_FD1_TAG / OURS_FD2_TAG for ours_stop.
ours_start() {
  local h node peer ip i ns tag=${OURS_TAG:-ours} fd1 fd2
  for h in h1 h2; do
    if [ $h = h1 ]; then node=$LOW peer=$HIGH ip=10.201.0.1; else node=$HIGH peer=$LOW ip=10.201.0.2; fi
    ns=$h
    [ -n "${OURS_NS:-}" ] && { if [ $h = h1 ]; then ns=${OURS_NS% *}; else ns=${OURS_NS#* }; fi; }
    rm -f "$W/$tag-$h.in"; mkfifo "$W/$tag-$h.in"
    local jfr=
    [ "$JFR" = 1 ] && jfr="-XX:StartFlightRecording=filename=$OUT_DIR/$tag-$h-$BENCH_STAGE.jfr,settings=profile"
    # shellcheck disable=SC2086
    setsid ip netns exec "$(tb_nsname $ns)" java $JAVA_OPTS $jfr -jar "$JAR" --state "$W/state-${tag#ours}$h" --node $node --peer $peer \
      --overlay bench --bridge "${OURS_BRIDGE:-br0}" --ovs-db "unix:$(tb_ovsdir $ns)/db.sock" --bind $ip:0 --prefix "${OURS_TAP:-ta}" \
      --keepalive 1000 --dead 6000 "$@" < "$W/$tag-$h.in" > "$W/$tag-$h.out" 2>&1 &
    echo "$! $tag-$h $h" >> "$W/pids"
  done
  exec {fd1}> "$W/$tag-h1.in" {fd2}> "$W/$tag-h2.in"
  printf -v "OURS_FD1_$tag" %s "$fd1"; printf -v "OURS_FD2_$tag" %s "$fd2"
  for i in $(seq 200); do
    grep -q '^LOCAL' "$W/$tag-h1.out" && grep -q '^LOCAL' "$W/$tag-h2.out" && break
    sleep 0.1
  done
  echo "PEER $(grep '^LOCAL' "$W/$tag-h2.out" | cut -d' ' -f2-)" >&"$fd1"
  echo "PEER $(grep '^LOCAL' "$W/$tag-h1.out" | cut -d' ' -f2-)" >&"$fd2"
  for i in $(seq 200); do
    grep -q '^UP' "$W/$tag-h1.out" && grep -q '^UP' "$W/$tag-h2.out" && return 0
    sleep 0.1
  done
  echo "  our tunnel ($tag) did not come up:" >&2; tail -5 "$W/$tag"-h*.out >&2; return 1
}

# ours_tap h1|h2 [TAG]: the TAP of that side of the pair TAG (default ours).
ours_tap() { grep '^UP' "$W/${2:-ours}-$1.out" | sed -E 's/.*tap=([^ ]+).*/\1/'; }

# ours_stop [TAG]: the pair TAG (default ours) closed and its processes gone.
ours_stop() {
  local tag=${1:-ours} fd1 fd2
  fd1=OURS_FD1_$tag fd2=OURS_FD2_$tag; fd1=${!fd1:-} fd2=${!fd2:-}
  if [ -n "$fd1" ]; then
    if [ "${BENCH_DIAG:-0}" = 1 ]; then
      echo STATS >&"$fd1" || true; echo STATS >&"$fd2" || true
      sleep 0.3
      grep -h '^STATS' "$W/$tag"-h*.out | tail -2 | sed 's/^/    /' >&2
    fi
    echo CLOSE >&"$fd1" || true; echo CLOSE >&"$fd2" || true
    exec {fd1}>&- {fd2}>&-
    unset "OURS_FD1_$tag" "OURS_FD2_$tag"
  fi
  local pid
  for pid in $(awk -v t="$tag-" 'index($2, t) == 1 { print $1 }' "$W/pids"); do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
  done
  sed -i "/ $tag-/d" "$W/pids"
}

stop_named() { tb_kill "$1"; sed -i "/ $1 /d" "$W/pids"; }

# ---- the paths ---------------------------------------------------------------------------------
run_underlay() { measure underlay h1 10.201.0.2; }

# ours_tunnel_up NAME [TAG NET]: our two agents, tunnel alone, addresses NET.1/.2 (default
# 10.201.50) on their TAPs; TAG (default ours) as in ours_start.
ours_tunnel_up() {
  local tag=${2:-ours} net=${3:-10.201.50}
  BENCH_STAGE=${1#ours-} OURS_TAG=$tag ours_start --no-bridge
  tb_exec h1 ip addr add "$net.1/24" dev "$(ours_tap h1 "$tag")"
  tb_exec h2 ip addr add "$net.2/24" dev "$(ours_tap h2 "$tag")"
}

run_ours_tunnel() {
  local name=${1:-ours-tunnel}
  ours_tunnel_up "$name"
  HOP_MODE=tunnel HOP_TAPS="$(ours_tap h1) $(ours_tap h2)" measure "$name" h1 10.201.50.2 "^ours-"
  ours_stop
}

# The same path with BENCH_B_JAVA_OPTS (C, D) added: settings side by side in one run.
for v in b c d; do
  eval "run_ours_tunnel_$v() { local JAVA_OPTS=\"\$JAVA_OPTS \${BENCH_${v^^}_JAVA_OPTS:-}\" JAR=\"\${BENCH_${v^^}_JAR:-\$JAR}\"; run_ours_tunnel ours-tunnel-$v; }"
done

run_ours_leaf() {
  local name=${1:-ours-leaf}
  # ICE, as a node runs it (host candidates only: no STUN server on this testbed); once DTLS
  # is up the tunnel moves onto its own batched socket, the same one ours-tunnel measures.
  BENCH_STAGE=${name#ours-} ours_start --ice --exclude br0 --exclude ovs --exclude ta
  sleep 3
  local pid
  for pid in $(awk '$2 ~ /^ours-/ { print $1 }' "$W/pids"); do
    echo "  ours idle, one tunnel: JVM RSS $(awk '/VmRSS/ { print $2, $3 }' /proc/$pid/status), threads $(awk '/Threads/ { print $2 }' /proc/$pid/status)" >&2
  done
  HOP_TAPS="$(ours_tap h1) $(ours_tap h2)" measure "$name" l1 10.201.100.2 "^ours-"
  ours_stop
}

# The same leaf path with BENCH_B_JAVA_OPTS / BENCH_B_JAR (C) instead: two builds' or settings' leaf
# throughput in one run, measured right after each other in every round (only when named).
for v in b c d; do
  eval "run_ours_leaf_$v() { local JAVA_OPTS=\"\$JAVA_OPTS \${BENCH_${v^^}_JAVA_OPTS:-}\" JAR=\"\${BENCH_${v^^}_JAR:-\$JAR}\"; run_ours_leaf ours-leaf-$v; }"
done

wireguard_go_up() {
  local h ip peer_ip o
  for h in h1 h2; do
    tb_exec $h wg genkey > "$W/wg-$h.key"; chmod 600 "$W/wg-$h.key"
    wg pubkey < "$W/wg-$h.key" > "$W/wg-$h.pub"
    # The UAPI socket directory is shared by all namespaces: one interface name per instance.
    WG_PROCESS_FOREGROUND=1 tb_spawn "wg-$h" $h wireguard-go "${PREFIX}wg$h" >/dev/null
  done
  sleep 1
  for h in h1 h2; do
    if [ $h = h1 ]; then ip=10.201.51.1 peer_ip=10.201.0.2; o=h2; else ip=10.201.51.2 peer_ip=10.201.0.1; o=h1; fi
    tb_exec $h wg set "${PREFIX}wg$h" listen-port 51820 private-key "$W/wg-$h.key" \
      peer "$(cat "$W/wg-$o.pub")" endpoint "$peer_ip:51820" allowed-ips 10.201.51.0/24
    tb_exec $h ip addr add $ip/24 dev "${PREFIX}wg$h"
    tb_exec $h ip link set "${PREFIX}wg$h" mtu 1420 up
  done
}
wireguard_go_down() { stop_named wg-h1; stop_named wg-h2; }

run_wireguard_go() {
  wireguard_go_up
  HOP_MODE=tunnel HOP_TAPS="${PREFIX}wgh1 ${PREFIX}wgh2" measure wireguard-go h1 10.201.51.2 "^wg-"
  wireguard_go_down
}

# tinc_start INTERFACE: tinc 1.0 switch mode between h1 and h2 (h1 connects to h2); TINC_NS="NS1 NS2"
# runs side h1 and side h2 in other namespaces (a twin leaf bed's hosts, same underlay addresses).
tinc_start() {
  local ifname=$1 h n1=${TINC_NS:-h1 h2} n2
  n2=${n1#* } n1=${n1% *}
  for h in h1 h2; do
    local d=$W/tinc-$h
    rm -rf "$d"; mkdir -p "$d/hosts"
    {
      echo "Name = $h"; echo "Mode = switch"; echo "Interface = $ifname"; echo "Device = /dev/net/tun"
      [ $h = h1 ] && echo "ConnectTo = h2"
    } > "$d/tinc.conf"
    if [ $h = h1 ]; then echo "Address = 10.201.0.1" > "$d/hosts/$h"; else echo "Address = 10.201.0.2" > "$d/hosts/$h"; fi
    tincd -c "$d" -K2048 < /dev/null > /dev/null 2>&1
  done
  cp "$W/tinc-h1/hosts/h1" "$W/tinc-h2/hosts/h1"
  cp "$W/tinc-h2/hosts/h2" "$W/tinc-h1/hosts/h2"
  tb_spawn tinc-h1 "$n1" tincd -c "$W/tinc-h1" -D --pidfile="$W/tinc-h1.pid" >/dev/null
  tb_spawn tinc-h2 "$n2" tincd -c "$W/tinc-h2" -D --pidfile="$W/tinc-h2.pid" >/dev/null
  for _ in $(seq 50); do
    tb_exec "$n1" ip link show "$ifname" >/dev/null 2>&1 && tb_exec "$n2" ip link show "$ifname" >/dev/null 2>&1 && break
    sleep 0.1
  done
  for h in "$n1" "$n2"; do tb_exec "$h" ip link set "$ifname" up; done
}

tinc_stop() { stop_named tinc-h1; stop_named tinc-h2; }

tinc_up() {
  tinc_start tatinc
  tb_exec h1 ip addr add 10.201.52.1/24 dev tatinc
  tb_exec h2 ip addr add 10.201.52.2/24 dev tatinc
  wait_ping h1 10.201.52.2
}

run_tinc() {
  tinc_up
  HOP_MODE=tunnel HOP_TAPS="tatinc tatinc" measure tinc h1 10.201.52.2 "^tinc-"
  tinc_stop
}

run_tinc_ovs() {
  tinc_start tatinc
  for h in h1 h2; do tb_vsctl $h --may-exist add-port br0 tatinc; done
  wait_ping l1 10.201.100.2
  HOP_TAPS="tatinc tatinc" measure tinc-ovs l1 10.201.100.2 "^tinc-"
  for h in h1 h2; do tb_vsctl $h --if-exists del-port br0 tatinc; done
  tinc_stop
}

openvpn_up() {
  local h
  for h in h1 h2; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$h" \
      -keyout "$W/ovpn-$h.key" -out "$W/ovpn-$h.crt" >/dev/null 2>&1
    openssl x509 -in "$W/ovpn-$h.crt" -noout -fingerprint -sha256 | cut -d= -f2 > "$W/ovpn-$h.fp"
  done
  tb_spawn ovpn-h2 h2 openvpn --dev taovpn --dev-type tap --proto udp --local 10.201.0.2 --lport 1194 \
    --remote 10.201.0.1 --rport 1194 --tls-server --dh none --cert "$W/ovpn-h2.crt" --key "$W/ovpn-h2.key" \
    --peer-fingerprint "$(cat "$W/ovpn-h1.fp")" --ifconfig 10.201.53.2 255.255.255.0 \
    --data-ciphers AES-256-GCM --verb 1 >/dev/null
  tb_spawn ovpn-h1 h1 openvpn --dev taovpn --dev-type tap --proto udp --local 10.201.0.1 --lport 1194 \
    --remote 10.201.0.2 --rport 1194 --tls-client --cert "$W/ovpn-h1.crt" --key "$W/ovpn-h1.key" \
    --peer-fingerprint "$(cat "$W/ovpn-h2.fp")" --ifconfig 10.201.53.1 255.255.255.0 \
    --data-ciphers AES-256-GCM --verb 1 >/dev/null
  wait_ping h1 10.201.53.2
}
openvpn_down() { stop_named ovpn-h1; stop_named ovpn-h2; }

run_openvpn() {
  openvpn_up
  HOP_MODE=tunnel HOP_TAPS="taovpn taovpn" measure openvpn h1 10.201.53.2 "^ovpn-"
  openvpn_down
}

# rtt-interleaved: the tunnel-alone RTTs side by side. Our tunnel, tinc, OpenVPN and wireguard-go
# are up at once (each on its own addresses and ports), each carries a 2-s iperf3 first (as before
# its own figure in measure()), then one ping process per path runs PINGS pings 50 ms apart, the
# processes started 50/N ms after each other: every path's pings fall in the same seconds, a
# path's ping never meets another's (a few hundred µs each, 50/N ms apart). Rows rtt-NAME (RTT
# only). Why: this machine's speed changes in phases of seconds (ninth session, per-ping scheduler
# split: our user-space work per hop 3.5-4.5x longer in a slow phase, the phase flipping within a
# 10-s ping run), and a path measured alone lands in whichever phase its 10 s fall in: the same
# jar measured 1.30/1.75/0.45x the round's best peer in three rounds of the sequential paths.
# With BENCH_B_JAR or BENCH_B_JAVA_OPTS set (C: BENCH_C_*), a second (third) pair of our agents
# runs beside the first in the same namespaces, started with that jar (default TUNNEL_AGENT_JAR)
# and JAVA_OPTS plus those options: TAP prefix tb (tc), tunnel 10.201.54.0/24 (55), row
# rtt-ours-tunnel-b (-c), the A/B of two builds or settings in the same seconds. The pairs' 2-s
# iperf3 warm-ups swap order every round (the last one is closest to the pings).
run_rtt_interleaved() {
  local ours="ours-tunnel:10.201.50.2" peers="tinc:10.201.52.2 openvpn:10.201.53.2 wireguard-go:10.201.51.2"
  local specs spec name ip i=0 n pids=() rtt v jv ov variants= net
  ours_tunnel_up ours-tunnel
  for v in b c; do
    jv=BENCH_${v^^}_JAR ov=BENCH_${v^^}_JAVA_OPTS
    [ -n "${!jv:-}${!ov:-}" ] || continue
    net=10.201.54; [ $v = c ] && net=10.201.55
    JAVA_OPTS="$JAVA_OPTS ${!ov:-}" JAR=${!jv:-$JAR} OURS_TAP=t$v ours_tunnel_up "ours-tunnel-$v" "ours$v" "$net"
    variants="$variants $v"
    if [ $(( ${BENCH_ROUND:-1} % 2 )) = 0 ]; then ours="ours-tunnel-$v:$net.2 $ours"; else ours="$ours ours-tunnel-$v:$net.2"; fi
  done
  tinc_up; openvpn_up; wireguard_go_up
  specs="$ours $peers"
  n=$(wc -w <<< "$specs")
  for spec in $specs; do
    ip=${spec#*:}
    wait_ping h1 "$ip"
    tb_exec h1 iperf3 -c "$ip" -p 5201 -t 2 >/dev/null 2>&1 || true
  done
  # Pings in a fixed order (ours, -b, -c, peers) whatever the warm-ups' order.
  specs="ours-tunnel:10.201.50.2"
  for v in $variants; do net=10.201.54; [ $v = c ] && net=10.201.55; specs="$specs ours-tunnel-$v:$net.2"; done
  specs="$specs $peers"
  for spec in $specs; do
    name=${spec%%:*} ip=${spec#*:}
    ( sleep "$(awk -v i=$i -v n="$n" 'BEGIN { printf "%.4f", 0.05 * i / n }')"
      tb_exec h1 ping -c "$PINGS" -i 0.05 "$ip" > "$W/rtt-$name.txt" 2>&1 ) &
    pids+=($!); i=$((i + 1))
  done
  wait "${pids[@]}"
  for spec in $specs; do
    name=${spec%%:*}
    { echo "round ${BENCH_ROUND:-1}"; cat "$W/rtt-$name.txt"; } >> "$OUT_DIR/pings-rtt-$name.txt"
    rtt=$(awk -F/ '/^rtt/ { print $5 }' "$W/rtt-$name.txt")
    echo "  rtt-$name (interleaved): RTT ${rtt:--} ms" >&2
    echo -e "rtt-$name\t-\t-\t${rtt:--}\t-" >> "$RESULTS"
  done
  wireguard_go_down; openvpn_down; tinc_stop
  for v in $variants; do ours_stop "ours$v"; done
  ours_stop
}

# rtt-leaf-interleaved: the leaf-to-leaf RTTs of ours-leaf and tinc-ovs side by side, for the same
# reason as rtt-interleaved (a leaf path's RTT is mostly OVS's userspace datapath, twice, and swings
# with the machine's phases: tinc-ovs 0.36-0.80 ms between sequential rounds on 2026-12-07). Both
# paths are up at once, each on a bed of its own built the same way: ours on h1/h2 with l1/l2,
# exactly as ours-leaf; tinc on a twin pair of hosts h3/h4 (their own OVS instances, netdev
# datapath, standalone br0 with NORMAL; their own underlay veth with the same addresses
# 10.201.0.1/.2) with leaves l7/l8 (10.201.101.1/.2, attached like l1/l2, so with TB_LEAF_RCVBUF).
# Why twins and not one OVS for both (rtt-leaf-shared, the tenth session's bed: tinc's TAP on a
# second bridge br1 of h1/h2's OVS): the netdev datapath's main thread reads its ports in the
# order of a hash of their datapath port numbers, all bridges' ports in one loop, and that order
# moved each OVS hop by tens of microseconds (leaf11, 2026-12-07: with the shared bed's numbers
# tinc's leaf and TAP were read before ours, ours last of 7; tinc's echo reply, which the leaf
# queues within OVS's own send, left in the same pass, 13 us, ours waited for the next one, 73;
# every OVS hop lined up with its port's place in that order, 3 bridges included). On twin beds
# each path's ports have the same numbers (br0 1, leaf 2, tunnel 3), so OVS treats both alike, as
# in the sequential paths. Each path carries a 2-s iperf3 first, then one ping process per path
# (PINGS pings 50 ms apart) started 25 ms after the other. Rows rtt-ours-leaf and rtt-tinc-ovs
# (RTT only). The twin hosts are made on first use and kept; the tunnel ports come and go per round.
# twin_up NS1 NS2 LEAF1 LEAF2 NET: a pair of hosts like h1/h2 (OVS, br0, underlay eth0 10.201.0.1/.2),
# leaves NET.1 on NS1 and NET.2 on NS2 with an iperf3 server on the second; once per run.
TWINS_MADE=
twin_up() {
  local n1=$1 n2=$2 la=$3 lb=$4 net=$5 h
  [[ " $TWINS_MADE " == *" $n1 "* ]] && return 0
  tb_ns "$n1"; tb_ns "$n2"
  tb_link "$n1" eth0 "$n2" eth0
  tb_exec "$n1" ip addr add 10.201.0.1/24 dev eth0
  tb_exec "$n2" ip addr add 10.201.0.2/24 dev eth0
  for h in "$n1" "$n2"; do
    tb_ovs_start "$h"
    tb_vsctl "$h" add-br br0 -- set bridge br0 datapath_type=netdev fail-mode=standalone
    tb_exec "$h" ip link set br0 up
  done
  tb_leaf "$n1" "$la" br0 "$net.1/24"
  tb_leaf "$n2" "$lb" br0 "$net.2/24"
  tb_spawn "iperf3-$lb" "$lb" iperf3 -s -p 5201 >/dev/null
  TWINS_MADE="$TWINS_MADE $n1"
}

# leaf2_up [BRIDGE LEAF1 LEAF2 NET] (default br1 l3 l4 10.201.101): a second bridge with its own
# leaves NET.1 (on h1) and NET.2 (on h2); leaf2_down [BRIDGE] deletes the bridge (rtt-leaf-shared's
# bed: tinc on br1, the A/B's B pair of our agents on br2 l5 l6 10.201.102).
LEAF2_MADE=
leaf2_up() {
  local h br=${1:-br1} la=${2:-l3} lb=${3:-l4} net=${4:-10.201.101}
  for h in h1 h2; do
    tb_vsctl "$h" --may-exist add-br "$br" -- set bridge "$br" datapath_type=netdev fail-mode=standalone
    tb_exec "$h" ip link set "$br" up
  done
  if [[ " $LEAF2_MADE " != *" $br "* ]]; then
    tb_leaf h1 "$la" "$br" "$net.1/24"
    tb_leaf h2 "$lb" "$br" "$net.2/24"
    tb_spawn "iperf3-$lb" "$lb" iperf3 -s -p 5201 >/dev/null
    LEAF2_MADE="$LEAF2_MADE $br"
  else
    # The leaves outlive the bridge (del-br took their ports): attached again as tb_leaf attaches them.
    tb_port_rcvbuf "$TB_LEAF_RCVBUF" h1 "$br" "$la"
    tb_port_rcvbuf "$TB_LEAF_RCVBUF" h2 "$br" "$lb"
  fi
}
leaf2_down() {
  local h
  for h in h1 h2; do tb_vsctl "$h" --if-exists del-br "${1:-br1}"; done
}

# rtt_side_by_side NAME:FROM_NS:TO_IP...: after a 2-s iperf3 on each path, one ping process per
# path (PINGS pings 50 ms apart), started 50/N ms after each other in the order given; per-ping
# files pings-rtt-NAME.txt and rows rtt-NAME (RTT only). The warm-ups go in reverse order every
# other round: the last one is closest to the pings. RTT_WARM=full: each path carries what
# measure() sends before its pings instead (2 s, then DURATION single stream, DURATION -P 4).
# RTT_MODE=alternating: no two paths ping at once; 1-s blocks of 20 pings, path after path, until
# each has PINGS (the same seconds at a coarser grain, without the other path's traffic in
# between); the row is the mean of all its pings.
rtt_side_by_side() {
  local spec name from ip i=0 n=$# pids=() rtt warm=("$@") b
  [ $(( ${BENCH_ROUND:-1} % 2 )) = 0 ] && warm=($(printf '%s\n' "$@" | tac))
  for spec in "${warm[@]}"; do
    IFS=: read -r name from ip <<< "$spec"
    wait_ping "$from" "$ip"
    tb_exec "$from" iperf3 -c "$ip" -p 5201 -t 2 >/dev/null 2>&1 || true
    if [ "${RTT_WARM:-}" = full ]; then
      tb_exec "$from" iperf3 -c "$ip" -p 5201 -t "$DURATION" >/dev/null 2>&1 || true
      tb_exec "$from" iperf3 -c "$ip" -p 5201 -t "$DURATION" -P 4 >/dev/null 2>&1 || true
    fi
  done
  side_hops start
  if [ "${RTT_MODE:-}" = alternating ]; then
    for spec in "$@"; do : > "$W/rtt-${spec%%:*}.txt"; done
    for b in $(seq $(( (PINGS + 19) / 20 ))); do
      for spec in "$@"; do
        IFS=: read -r name from ip <<< "$spec"
        tb_exec "$from" ping -c $(( PINGS - 20 * (b - 1) < 20 ? PINGS - 20 * (b - 1) : 20 )) -i 0.05 "$ip" >> "$W/rtt-$name.txt" 2>&1 || true
      done
    done
  else
    for spec in "$@"; do
      IFS=: read -r name from ip <<< "$spec"
      ( sleep "$(awk -v i=$i -v n="$n" 'BEGIN { printf "%.4f", 0.05 * i / n }')"
        tb_exec "$from" ping -c "$PINGS" -i 0.05 "$ip" > "$W/rtt-$name.txt" 2>&1 ) &
      pids+=($!); i=$((i + 1))
    done
    wait "${pids[@]}"
  fi
  side_hops end
  for spec in "$@"; do
    name=${spec%%:*}
    { echo "round ${BENCH_ROUND:-1}"; cat "$W/rtt-$name.txt"; } >> "$OUT_DIR/pings-rtt-$name.txt"
    if [ "${RTT_MODE:-}" = alternating ]; then
      rtt=$(awk -F'time=' '/time=/ { split($2, a, " "); s += a[1]; k++ } END { if (k) printf "%.3f", s / k }' "$W/rtt-$name.txt")
    else
      rtt=$(awk -F/ '/^rtt/ { print $5 }' "$W/rtt-$name.txt")
    fi
    echo "  rtt-$name (${RTT_MODE:-interleaved}): RTT ${rtt:--} ms" >&2
    echo -e "rtt-$name\t-\t-\t${rtt:--}\t-" >> "$RESULTS"
  done
}

# rtt-leaf-interleaved-full: the same with measure()'s whole load before the pings (RTT_WARM=full),
# rows rtt-ours-leaf-full, rtt-tinc-ovs-full: whether the sequential and side-by-side leaf figures
# differ by what each path carried just before its pings (6 s vs 2 s with --duration 2).
run_rtt_leaf_interleaved_full() { RTT_WARM=full LEAF_SUFFIX=-full run_rtt_leaf_interleaved; }
# rtt-leaf-alternating: the same bed, the two paths pinged in alternate 1-s blocks instead
# (RTT_MODE=alternating), rows rtt-ours-leaf-alt, rtt-tinc-ovs-alt: whether one path's pings
# between the other's change the ratio (interaction) rather than only removing phase luck.
run_rtt_leaf_alternating() { RTT_MODE=alternating LEAF_SUFFIX=-alt run_rtt_leaf_interleaved; }

# With BENCH_B_JAR or BENCH_B_JAVA_OPTS set, the A/B of two agents on the leaf path: a second pair of
# our agents (that jar, default TUNNEL_AGENT_JAR; JAVA_OPTS plus those options) on twin hosts h5/h6
# with leaves l9/l10 (10.201.102.1/.2), pinged in the same seconds as A and tinc: row
# rtt-ours-leaf-b, and the report gives each round's B/A and B/tinc-ovs. Pings start in the order A,
# B, tinc-ovs (50/3 ms apart) every round: swap the jars in a second run to cancel what a position
# gives. A/B of two builds: TUNNEL_AGENT_JAR=a.jar BENCH_B_JAR=b.jar bench.sh tunnel --only
# rtt-leaf-interleaved,rtt-leaf-alternating --rounds 3 --pings 200 --idle 0 --duration 2
# rtt-leaf-shared: the tenth session's bed instead (LEAF_BED=shared): tinc on br1 of h1/h2's OVS with
# l3/l4, B on br2 with l5/l6 (TAP prefix tb); rows rtt-*-shared.
run_rtt_leaf_shared() { LEAF_BED=shared LEAF_SUFFIX=-shared run_rtt_leaf_interleaved; }
run_rtt_leaf_interleaved() {
  local h s=${LEAF_SUFFIX:-} ab= specs hops tinc_hosts=h3:h4 tbr=br0 tl=l7 bl=l9
  # Our agents exactly as in ours-leaf (no other bridge or TAP exists yet on h1/h2).
  BENCH_STAGE=leaf-interleaved ours_start --ice --exclude br0 --exclude ovs --exclude ta
  specs="ours-leaf$s:l1:10.201.100.2"
  # BENCH_HOPS=1: every path's hops captured in the same seconds (on the shared bed each underlay
  # capture keeps only its own tunnel's datagrams: tinc's UDP port is 655, ours an ephemeral one;
  # A's and B's pings are told apart by when they cross).
  hops="ours-leaf$s:$(ours_tap h1):$(ours_tap h2):l1:l2:-"
  [ "${LEAF_BED:-twin}" = shared ] && { hops="${hops%-}not_port_655"; tinc_hosts=h1:h2 tbr=br1 tl=l3 bl=l5; }
  if [ -n "${BENCH_B_JAR:-}${BENCH_B_JAVA_OPTS:-}" ]; then
    ab=1
    if [ "${LEAF_BED:-twin}" = shared ]; then
      leaf2_up br2 l5 l6 10.201.102
      JAVA_OPTS="$JAVA_OPTS ${BENCH_B_JAVA_OPTS:-}" JAR=${BENCH_B_JAR:-$JAR} OURS_TAG=oursb OURS_TAP=tb OURS_BRIDGE=br2 \
        BENCH_STAGE=leaf-interleaved-b ours_start --ice --exclude br --exclude ovs --exclude t
      hops="$hops ours-leaf-b$s:$(ours_tap h1 oursb):$(ours_tap h2 oursb):l5:l6:not_port_655"
    else
      twin_up h5 h6 l9 l10 10.201.102
      JAVA_OPTS="$JAVA_OPTS ${BENCH_B_JAVA_OPTS:-}" JAR=${BENCH_B_JAR:-$JAR} OURS_TAG=oursb OURS_NS="h5 h6" \
        BENCH_STAGE=leaf-interleaved-b ours_start --ice --exclude br0 --exclude ovs --exclude ta
      hops="$hops ours-leaf-b$s:$(ours_tap h1 oursb):$(ours_tap h2 oursb):l9:l10:-:h5:h6"
    fi
    specs="$specs ours-leaf-b$s:$bl:10.201.102.2"
  fi
  if [ "${LEAF_BED:-twin}" = shared ]; then
    leaf2_up
    tinc_start tatinc
    hops="$hops tinc-ovs$s:tatinc:tatinc:l3:l4:port_655"
  else
    twin_up h3 h4 l7 l8 10.201.101
    TINC_NS="h3 h4" tinc_start tatinc
    hops="$hops tinc-ovs$s:tatinc:tatinc:l7:l8:-:h3:h4"
  fi
  for h in ${tinc_hosts/:/ }; do tb_vsctl "$h" --may-exist add-port "$tbr" tatinc; done
  # shellcheck disable=SC2086
  SIDE_HOPS="$hops" rtt_side_by_side $specs "tinc-ovs$s:$tl:10.201.101.2"
  for h in ${tinc_hosts/:/ }; do tb_vsctl "$h" --if-exists del-port "$tbr" tatinc; done
  tinc_stop; ours_stop
  [ -n "$ab" ] && ours_stop oursb
  if [ "${LEAF_BED:-twin}" = shared ]; then
    [ -n "$ab" ] && leaf2_down br2
    leaf2_down
  fi
}

# ---- NAT testbed: reflexive and relayed tunnels, and what coturn carries without us ----------
TURN_IP=10.203.10.1
NAT_BUILT=0
nat_bed() {
  [ "$NAT_BUILT" = 1 ] && return 0
  local i mode
  tb_ns inet; tb_router inet
  tb_exec inet ip addr add $TURN_IP/32 dev lo
  for i in 1 2 3; do
    mode=eim; [ $i = 3 ] && mode=symmetric
    tb_ns n$i
    tb_link inet n$i n$i wan
    tb_exec inet ip addr add 10.203.1$i.1/24 dev n$i
    tb_exec n$i ip addr add 10.203.1$i.2/24 dev wan
    tb_route n$i 10.203.1$i.1
    tb_nat n$i wan $mode
    tb_ns r$i
    tb_link n$i r$i r$i eth0
    tb_exec n$i ip addr add 10.203.2$i.1/24 dev r$i
    tb_exec r$i ip addr add 10.203.2$i.2/24 dev eth0
    tb_route r$i 10.203.2$i.1
    if [ -n "${BENCH_NAT_OFFLOADS:-}" ]; then
      # shellcheck disable=SC2086
      { tb_exec inet ethtool -K n$i $BENCH_NAT_OFFLOADS; tb_exec n$i ethtool -K wan $BENCH_NAT_OFFLOADS
        tb_exec n$i ethtool -K r$i $BENCH_NAT_OFFLOADS; tb_exec r$i ethtool -K eth0 $BENCH_NAT_OFFLOADS; } > /dev/null 2>&1
    fi
    # As in IceTunnelTest: packets to a private LAN die at its NAT, not with ENETUNREACH at coturn.
    tb_exec inet ip route add 10.203.2$i.0/24 via 10.203.1$i.2
  done
  # shellcheck disable=SC2086
  tb_turn inet $TURN_IP bench bench-secret 3478 ${BENCH_TURN_OPTS:-} >/dev/null
  TURN_NOW=${BENCH_TURN_OPTS:-}
  tb_spawn iperf3-r2 r2 iperf3 -s -p 5201 >/dev/null
  NAT_BUILT=1
}

# turn_opts "OPTION=VALUE ...": coturn restarted with these config lines unless it already runs on them.
TURN_NOW=
turn_opts() {
  nat_bed
  [ "$1" = "$TURN_NOW" ] && return 0
  stop_named turn-inet
  # Started on all the run's CPUs even inside a pinned path: coturn sizes its default relay threads
  # (one per CPU) from the CPUs it may use at start (a restart on the pinned shell's one CPU gave it one).
  taskset -p -c "$BENCH_CPUS" $$ > /dev/null
  # shellcheck disable=SC2086
  tb_turn inet $TURN_IP bench bench-secret 3478 $1 >/dev/null
  TURN_NOW=$1
  echo "  coturn restarted with: ${1:-its defaults}" >&2
  [ "$PINNED" = 1 ] && relay_pin on
  return 0
}

# relay_pin on|off (BENCH_RELAY_CPU=N): coturn's threads on CPU N; this shell (so every process it
# starts from now on: agents, ceiling ends, iperf3 clients) and r2's iperf3 server on the other
# CPUs. off: all of them back on every CPU. The kernel's work for a datagram mostly runs on the CPU
# of the process that sends it (veth hands it on in that CPU's softirq): coturn's next leg, NAT
# included, is coturn's, as on a server of its own.
relay_pin() {
  local all=$BENCH_CPUS rest ns p c
  rest=$(tr , '\n' <<< "$BENCH_CPUS" | grep -vx "$BENCH_RELAY_CPU" | paste -sd,)
  [ "$1" = on ] || rest=$all
  taskset -p -c "$rest" $$ > /dev/null
  for ns in inet r2; do
    for p in $(ip netns pids "$(tb_nsname $ns)"); do
      c=$(cat "/proc/$p/comm" 2>/dev/null) || continue
      case "$c" in
        turnserver) if [ "$1" = on ]; then taskset -a -p -c "$BENCH_RELAY_CPU" "$p"; else taskset -a -p -c "$all" "$p"; fi ;;
        iperf3) taskset -a -p -c "$rest" "$p" ;;
      esac > /dev/null 2>&1 || true
    done
  done
}

ICE_ARGS="--no-bridge --ice --stun $TURN_IP:3478 --turn $TURN_IP:3478:bench:bench-secret"

# ours_nat NAME NS1 NS2 NET TYPE: our tunnel alone between two NAT hosts, addresses NET.1/.2 on the TAPs.
ours_nat() {
  local name=$1 a=$2 b=$3 net=$4 type=$5 t0 t1
  nat_bed
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  OURS_NS="$a $b" BENCH_STAGE=$name ours_start $ICE_ARGS || return 1
  t1=$(date +%s%N)
  echo "  $name$PATH_SUFFIX: up $(( (t1 - t0) / 1000000 )) ms after both agents started; $(grep -h '^UP' "$W"/ours-h1.out)" >&2
  grep -q "^UP type=$type" "$W/ours-h1.out" || echo "  $name$PATH_SUFFIX: expected a $type tunnel" >&2
  [ "${BENCH_DIAG:-0}" = 1 ] && grep -ho 'ICE selected.*' "$W/ours-h1.out" "$W/ours-h2.out" | sed 's/^/    /' >&2
  tb_exec "$a" ip addr add "$net.1/24" dev "$(ours_tap h1)"
  tb_exec "$b" ip addr add "$net.2/24" dev "$(ours_tap h2)"
  CPU_NS="$(tb_nsname "$a") $(tb_nsname "$b") $(tb_nsname inet)" measure "$name" "$a" "$net.2" "^ours-"
  ours_stop
}

run_ours_reflexive() { ours_nat "${1:-ours-reflexive}" r1 r2 10.201.51 reflexive; }
run_ours_relayed() { ours_nat "${1:-ours-relayed}" r3 r2 10.201.52 relayed; }
for v in b c; do
  eval "run_ours_relayed_$v() { local JAVA_OPTS=\"\$JAVA_OPTS \${BENCH_${v^^}_JAVA_OPTS:-}\" JAR=\"\${BENCH_${v^^}_JAR:-\$JAR}\"; run_ours_relayed ours-relayed-$v; }"
  eval "run_ours_reflexive_$v() { local JAVA_OPTS=\"\$JAVA_OPTS \${BENCH_${v^^}_JAVA_OPTS:-}\" JAR=\"\${BENCH_${v^^}_JAR:-\$JAR}\"; run_ours_reflexive ours-reflexive-$v; }"
done

# relay-ceiling: r3 allocates on coturn, binds a channel to r2's NAT address and sends datagrams
# as large as a relayed tunnel's own (1448 bytes of payload) in it as fast as its batched socket
# goes; r2 (which first opens its NAT toward the relay address) counts what arrives. relay-ceiling-ramp: the same, paced, the offered
# rate climbing from BENCH_RAMP_FROM to BENCH_RAMP_TO Mbit/s; the figure is the best 250-ms bin
# received with under 1% lost (unpaced, the flood's own forwarding takes a core from coturn on
# this machine and what arrives swings with it).
run_relay_ceiling() {
  nat_bed
  local name=${1:-relay-ceiling}$PATH_SUFFIX ramp=${2:-} mbit relay i blaster splitter=
  [ "${BENCH_DIAG:-0}" = 1 ] && diag r3 quiet > /dev/null
  # shellcheck disable=SC2086
  tb_exec r3 java $JAVA_OPTS -Dsymphonet.ceiling.warmupSeconds="$WARMUP" -cp "$JAR" org.symphonet.tunnel.harness.RelayCeilingMain blast "$TURN_IP:3478" bench \
    bench-secret 10.203.12.2:15390 "$DURATION" $ramp > "$W/ceiling-blast.out" 2>&1 &
  blaster=$!
  for i in $(seq 100); do
    relay=$(awk '/^RELAY/ { print $2 }' "$W/ceiling-blast.out")
    [ -n "$relay" ] && break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  if [ "${BENCH_CPU:-0}" = 1 ]; then
    # The blast starts 3 s after RELAY (the sink opens its NAT meanwhile); sample from 1 s into its
    # measured seconds (after the warm-up).
    ( sleep $((3 + WARMUP)); CPU_NS="$(tb_nsname r3) $(tb_nsname r2) $(tb_nsname inet)"; cpu_split_start "$name"
      cpu_split_end "$name" ) &
    splitter=$!
  fi
  # shellcheck disable=SC2086
  [ -n "$relay" ] && tb_exec r2 java $JAVA_OPTS -Dsymphonet.ceiling.warmupSeconds="$WARMUP" -cp "$JAR" org.symphonet.tunnel.harness.RelayCeilingMain sink 15390 \
    "$relay" "$DURATION" > "$W/ceiling-sink.out" 2>&1
  wait "$blaster" || true
  [ -n "$splitter" ] && { wait "$splitter" || true; }
  mbit=$(awk '/^RECEIVED/ { print $2 }' "$W/ceiling-sink.out" 2>/dev/null)
  echo "  $name: ${mbit:--} Mbit/s received ($(grep -h '^SENT' "$W/ceiling-blast.out")); $(grep -h '^CEILING' "$W/ceiling-sink.out")" >&2
  cp "$W/ceiling-sink.out" "$OUT_DIR/$name-sink-$(date +%H%M%S).out" 2>/dev/null || true
  [ -n "$ramp" ] && mbit=$(awk '/^CEILING/ { print $2 }' "$W/ceiling-sink.out" 2>/dev/null)
  [ "${BENCH_DIAG:-0}" = 1 ] && diag r3 >&2
  echo -e "$name\t${mbit:--}\t-\t-\t-" >> "$RESULTS"
}
run_relay_ceiling_ramp() { run_relay_ceiling relay-ceiling-ramp "${BENCH_RAMP_FROM:-300} ${BENCH_RAMP_TO:-2000}"; }
# relay-ceiling-b: the same with BENCH_B_JAR's ceiling (and BENCH_B_JAVA_OPTS): the ceilings of two
# builds in one run, e.g. when a build changes what the ceiling sends.
run_relay_ceiling_b() {
  local JAR=${BENCH_B_JAR:-$JAR} JAVA_OPTS="$JAVA_OPTS ${BENCH_B_JAVA_OPTS:-}"
  run_relay_ceiling relay-ceiling-b
}

run_ovs_ceiling() {
  tb_link h1 tac1 h2 tac2
  tb_vsctl h1 add-port br0 tac1
  tb_vsctl h2 add-port br0 tac2
  sleep 1
  measure ovs-ceiling l1 10.201.100.2
  tb_vsctl h1 del-port br0 tac1
  tb_vsctl h2 del-port br0 tac2
  tb_unlink h1 tac1
}

# run_path NAME [SUFFIX]: a path, or a NAT path with suffixes: NAME-pinned (relay_pin), NAME-turnb
# (coturn on BENCH_TURN_B_OPTS), both as NAME-turnb-pinned; any path as NAME-warmb (warm-up of
# BENCH_WARMUP_B s, default 8, instead of --warmup: warm-ups side by side in one run); the figures
# are saved under the full name.
PATH_SUFFIX=
PINNED=0
run_path() {
  local rc=0 suf=${2:-}
  case "$1" in
    *-pinned)
      [ -n "${BENCH_RELAY_CPU:-}" ] || { echo "  $1: needs BENCH_RELAY_CPU" >&2; return 1; }
      nat_bed; PINNED=1; relay_pin on
      run_path "${1%-pinned}" "-pinned$suf" || rc=$?
      PINNED=0; relay_pin off ;;
    *-turnb)
      turn_opts "${BENCH_TURN_OPTS:-} ${BENCH_TURN_B_OPTS:-}"
      run_path "${1%-turnb}" "-turnb$suf" || rc=$?
      turn_opts "${BENCH_TURN_OPTS:-}" ;;
    *-warmb)
      local warm=$WARMUP
      WARMUP=${BENCH_WARMUP_B:-8}
      run_path "${1%-warmb}" "-warmb$suf" || rc=$?
      WARMUP=$warm ;;
    *) PATH_SUFFIX=$suf "run_${1//-/_}" || rc=$? ;;
  esac
  return $rc
}

# BENCH_RELAY_CPU: every NAT path also pinned, right after itself in each round.
# The CPUs this run may use, one by one, as it started (nproc would shrink once the shell is pinned:
# the first unpinning, run 12:07 UTC 2026-12-07, left every later path on one CPU).
BENCH_CPUS=$(taskset -pc $$ | sed 's/.*: //' | tr , '\n' \
  | awk -F- '{ for (c = $1; c <= ($2 == "" ? $1 : $2); c++) print c }' | paste -sd,)
if [ -n "${BENCH_RELAY_CPU:-}" ]; then
  tr , '\n' <<< "$BENCH_CPUS" | grep -qx "$BENCH_RELAY_CPU" && [[ $BENCH_CPUS == *,* ]] \
    || { echo "bench tunnel: BENCH_RELAY_CPU=$BENCH_RELAY_CPU: needs one of this run's CPUs ($BENCH_CPUS), and 2 or more" >&2; exit 2; }
  with_pinned=
  for p in $PATHS; do
    with_pinned="$with_pinned $p"
    case "$p" in *-pinned) ;; ours-reflexive*|ours-relayed*|relay-ceiling*) with_pinned="$with_pinned $p-pinned" ;; esac
  done
  PATHS=$with_pinned
fi

for round in $(seq "$ROUNDS"); do
  for p in $PATHS; do
    echo "round $round/$ROUNDS: measuring $p ..." >&2
    BENCH_ROUND=$round run_path "$p" || echo "  $p failed" >&2
  done
done

# ---- memory per idle tunnel ---------------------------------------------------------------------
# N tunnels, then N more, between two agents in one JVM (real TAPs, loopback UDP): RSS, heap and
# threads each tunnel end keeps. The second step is the marginal cost (heap pages already resident).
# Then the JVM's CPU while all of them idle (BENCH_IDLE_CPU_SECONDS, default 30).
IDLE=$OUT_DIR/idle-tunnels.txt
: > "$IDLE"
if [ "$IDLE_TUNNELS" -gt 0 ]; then
  echo "measuring memory of $IDLE_TUNNELS + $IDLE_TUNNELS idle tunnels ..." >&2
  # shellcheck disable=SC2086
  tb_exec h1 env IDLE_TUNNELS_CPU_SECONDS="${BENCH_IDLE_CPU_SECONDS:-30}" \
    java $JAVA_OPTS -cp "$JAR" org.symphonet.tunnel.harness.IdleTunnelsMain "$IDLE_TUNNELS" 2>/dev/null \
    | grep '^idle tunnels' > "$IDLE" || echo "  idle tunnel measurement failed" >&2
fi

# ---- report --------------------------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
table=$OUT_DIR/tunnel-$stamp.md
/usr/bin/python3 - "$RESULTS" "$DURATION" "$ROUNDS" "$PINGS" "$WARMUP" > "$table" <<'PY'
import statistics, sys
def num(x):
    try:
        return float(x)
    except ValueError:
        return None
raw = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
order, groups = [], {}
for r in raw:
    if r[0] not in groups:
        order.append(r[0])
    groups.setdefault(r[0], []).append(r)
def median(values):
    v = [x for x in (num(y) for y in values) if x is not None]
    if not v:
        return "-"
    m = statistics.median(v)
    return ("%.3f" % m) if m < 10 else ("%.1f" % m if m < 100 else "%d" % round(m))
rows = [[n] + [median([g[i] for g in groups[n]]) for i in range(1, 5)] for n in order]
fig = {r[0]: r for r in rows}
print("iperf3 TCP, %s s per figure after %s s of warm-up, median of %s round(s); Mbit/s; RTT: mean of %s pings (ms);"
      " tunnel CPU = user+system seconds of the tunnel processes (both ends) per GB carried\n"
      % (sys.argv[2], sys.argv[5], sys.argv[3], sys.argv[4]))
print("| path | 1 stream | -P 4 | RTT ms | tunnel CPU s/GB |")
print("|---|---:|---:|---:|---:|")
for r in rows:
    print("| %s | %s | %s | %s | %s |" % tuple(r))
ours_t, ours_l = num(fig.get("ours-tunnel", ["", "-"])[1]), num(fig.get("ours-leaf", ["", "-"])[1])
peers = [num(fig[p][1]) for p in ("wireguard-go", "tinc", "openvpn") if p in fig and num(fig[p][1])]
tovs, ceil = num(fig.get("tinc-ovs", ["", "-"])[1]), num(fig.get("ovs-ceiling", ["", "-"])[1])
print()
if ours_t and peers:
    print("- ours-tunnel / best of wireguard-go, tinc, openvpn: %.2f" % (ours_t / max(peers)))
rtt_peers = [num(fig[p][3]) for p in ("wireguard-go", "tinc", "openvpn") if p in fig and num(fig[p][3])]
# Round by round (the goal is every round): each round's RTT against that round's best peer.
def per_round(ours, peers):
    if ours not in groups:
        return None
    out = []
    for k, g in enumerate(groups[ours]):
        theirs = [num(groups[p][k][3]) for p in peers if p in groups and k < len(groups[p]) and num(groups[p][k][3])]
        if num(g[3]) and theirs:
            out.append(num(g[3]) / min(theirs))
    return out
rtt_side = ("rtt-wireguard-go", "rtt-tinc", "rtt-openvpn")
for ours, peers, label in (("ours-tunnel", ("wireguard-go", "tinc", "openvpn"), "sequential"),
                           ("rtt-ours-tunnel", rtt_side, "interleaved"),
                           ("rtt-ours-tunnel-b", rtt_side, "interleaved"),
                           ("rtt-ours-tunnel-c", rtt_side, "interleaved"),
                           ("ours-leaf", ("tinc-ovs",), "leaf, sequential")):
    r = per_round(ours, peers)
    if r:
        print("- RTT %s / that round's best of %s, per round (%s): %s" % (ours, ", ".join(peers), label,
              ", ".join("%.2f" % x for x in r)))
# The A/B side by side: each round's B (C) RTT over A's, measured in the same seconds.
for other in ("rtt-ours-tunnel-b", "rtt-ours-tunnel-c"):
    r = per_round(other, ("rtt-ours-tunnel",))
    if r:
        print("- RTT %s / rtt-ours-tunnel, per round (interleaved A/B): %s (median %.2f)" % (other,
              ", ".join("%.2f" % x for x in r), statistics.median(r)))
for p in ("ours-tunnel", "ours-tunnel-b", "ours-tunnel-c", "ours-tunnel-d"):
    if p in fig and num(fig[p][3]) and rtt_peers:
        print("- RTT %s / best of wireguard-go, tinc, openvpn: %.2f (goal <= 1)" % (p, num(fig[p][3]) / min(rtt_peers)))
# Leaf to leaf side by side (rtt-leaf-interleaved[-full]), next to the sequential leaf line above.
for s, how in (("", "interleaved"), ("-full", "interleaved after measure()'s load"),
               ("-alt", "alternate 1-s blocks"), ("-shared", "interleaved, one OVS for both (rtt-leaf-shared)")):
    r = per_round("rtt-ours-leaf" + s, ("rtt-tinc-ovs" + s,))
    if r:
        print("- RTT rtt-ours-leaf%s / rtt-tinc-ovs%s, per round (leaf, %s; goal <= 0.9): %s"
              % (s, s, how, ", ".join("%.2f" % x for x in r)))
    # The leaf A/B (BENCH_B_JAR / BENCH_B_JAVA_OPTS): B against tinc and against A, same seconds.
    r = per_round("rtt-ours-leaf-b" + s, ("rtt-tinc-ovs" + s,))
    if r:
        print("- RTT rtt-ours-leaf-b%s / rtt-tinc-ovs%s, per round (leaf, %s; goal <= 0.9): %s"
              % (s, s, how, ", ".join("%.2f" % x for x in r)))
    r = per_round("rtt-ours-leaf-b" + s, ("rtt-ours-leaf" + s,))
    if r:
        print("- RTT rtt-ours-leaf-b%s / rtt-ours-leaf%s, per round (leaf A/B, %s): %s (median %.2f)"
              % (s, s, how, ", ".join("%.2f" % x for x in r), statistics.median(r)))
if ours_l and tovs:
    print("- ours-leaf / tinc-ovs: %.2f (goal >= 1.7)" % (ours_l / tovs))
# Leaf throughput per round: each arm over that round's tinc-ovs, and B (C) over A (ours-leaf-b, -c).
def per_round_tput(a, b):
    if a not in groups or b not in groups:
        return None
    return [num(x[1]) / num(y[1]) for x, y in zip(groups[a], groups[b]) if num(x[1]) and num(y[1])]
for a, b in (("ours-leaf", "tinc-ovs"), ("ours-leaf-b", "tinc-ovs"), ("ours-leaf-c", "tinc-ovs"),
             ("ours-leaf-d", "tinc-ovs"), ("ours-leaf-b", "ours-leaf"), ("ours-leaf-c", "ours-leaf"),
             ("ours-leaf-d", "ours-leaf")):
    r = per_round_tput(a, b)
    if r:
        print("- single stream %s / %s, per round: %s (median %.2f)" % (a, b, ", ".join("%.2f" % x for x in r),
              statistics.median(r)))
if ours_l and ceil:
    print("- ours-leaf / ovs-ceiling: %.2f" % (ours_l / ceil))
for suf, how in (("", ""), ("-pinned", " [coturn on a CPU of its own]"), ("-turnb", " [coturn with BENCH_TURN_B_OPTS]"),
                 ("-turnb-pinned", " [coturn with BENCH_TURN_B_OPTS on a CPU of its own]"),
                 ("-warmb", " [warm-up BENCH_WARMUP_B s]"), ("-warmb-pinned", " [warm-up BENCH_WARMUP_B s, coturn on a CPU of its own]")):
    refl, rel = num(fig.get("ours-reflexive" + suf, ["", "-"])[1]), num(fig.get("ours-relayed" + suf, ["", "-"])[1])
    rceil = num(fig.get("relay-ceiling" + suf, ["", "-"])[1])
    if rel and refl:
        print("- ours-relayed%s / ours-reflexive%s: %.2f (goal >= 0.8)%s" % (suf, suf, rel / refl, how))
    if rel and rceil:
        print("- ours-relayed%s / relay-ceiling%s: %.2f (goal >= 0.8)%s" % (suf, suf, rel / rceil, how))
    rramp = num(fig.get("relay-ceiling-ramp" + suf, ["", "-"])[1])
    for p in ("ours-relayed", "ours-relayed-b", "ours-relayed-c"):
        v = num(fig.get(p + suf, ["", "-"])[1])
        if v and rramp:
            print("- %s%s / relay-ceiling-ramp%s (paced, lossless): %.2f%s" % (p, suf, suf, v / rramp, how))
        if v and refl and p != "ours-relayed":
            print("- %s%s / ours-reflexive%s: %.2f%s" % (p, suf, suf, v / refl, how))
    # The A/B arms against A, measured in the same run (B, C: BENCH_B_*, BENCH_C_*).
    for base in ("ours-reflexive", "ours-relayed"):
        va = num(fig.get(base + suf, ["", "-"])[1])
        for v in ("b", "c"):
            vb = num(fig.get(base + "-" + v + suf, ["", "-"])[1])
            if va and vb:
                print("- %s-%s%s / %s%s (A/B): %.2f%s" % (base, v, suf, base, suf, vb / va, how))
    rceilb = num(fig.get("relay-ceiling-b" + suf, ["", "-"])[1])
    relb = num(fig.get("ours-relayed-b" + suf, ["", "-"])[1])
    if rceilb and rceil:
        print("- relay-ceiling-b%s / relay-ceiling%s: %.2f%s" % (suf, suf, rceilb / rceil, how))
    if rceilb and relb:
        print("- ours-relayed-b%s / relay-ceiling-b%s: %.2f%s" % (suf, suf, relb / rceilb, how))
cpu = {r[0]: num(r[4]) for r in rows if len(r) > 4}
if cpu.get("ours-tunnel") and cpu.get("tinc"):
    print("- CPU per GB, ours-tunnel / tinc: %.2f (lower is better)" % (cpu["ours-tunnel"] / cpu["tinc"]))
PY
if [ -s "$IDLE" ]; then
  { echo; sed 's/^/- /' "$IDLE"; } >> "$table"
fi
cat "$table"
echo "(saved $table)" >&2
