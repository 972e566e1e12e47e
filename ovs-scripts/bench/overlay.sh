#!/usr/bin/env bash
# bench.sh overlay [N ...]: how fast a Symphonet overlay forms and heals on this machine, and what
# a node costs.
#
# For each N (default 4 8 16; 32 works too): N hosts in namespaces (a third on the internet LAN,
# the rest behind two endpoint-independent NAT routers), Prosody and coturn, one node and one leaf
# per host. It measures the time from starting all N nodes to the first moment every leaf answers
# a ping from every other leaf, and splits it into the phases each node records itself (status
# JSON "timeline": process start -> bridge connected -> XMPP online -> first link requested -> all
# successor links up), as medians over the nodes, with the CPU seconds a node had used when its
# links were up. Then idle CPU, RSS and threads per node (and a Native Memory Tracking summary of
# node 0, written beside the output), then it SIGKILLs one node and measures the time until all
# remaining leaves reach each other again. Prints markdown tables.
# OV_BENCH_STATIC_NEIGH=1 gives every leaf static neighbour entries for all others (no ARP).
# OV_BENCH_DIAG=1 also records where flood frames (FRBs) die, at "formed" (=2: also every 30 s
# during formation, which adds load of its own), per host: OVS's coverage counters (packet-ins
# the controller connection had no room for), its Controller record, port statistics, the
# kernel's TAP and UDP drops and the bridges' own flood counters, summed by bench/floodiag.py
# into $OV_BENCH_OUT/diag-N/formed-ovs/floods.md; keeps every ovs-vswitchd.log (why a
# controller connection dropped); and has the probe write, per round, every missing pair with its
# source leaf's ARP state for the destination (reach-form-N.txt.misses, see bench/reach.py).
# The kernel's neighbour table is shared by all namespaces and limited to 1,024 entries by default,
# less than 32 leaves need to reach each other: the bench raises its limits for the run (see
# ov_neigh_room in lib/overlay.sh; OV_BENCH_NEIGH_ROOM=0 keeps the kernel's, as before the eighth
# session, when 32-node formation waited minutes for the table's garbage collection).
# OV_BENCH_PREFIX names the run's namespaces (default bov), so two runs never collide.
# OV_BENCH_FORM_TIMEOUT=S stops waiting for all pairs after S seconds (default 900; the formation
# figure is then -1) and OV_BENCH_HEAL=0 skips the kill-and-heal: a run that only wants start-up,
# memory and idle figures (an A/B of start-up CPU at 32 nodes) fits a few minutes.
# OV_BENCH_B_OPTS="JVM options", OV_BENCH_B_JAR=JAR, OV_BENCH_B_HOME=DIR: an A/B run in one
# testbed, so both groups see the same load: the odd-numbered nodes (group B) get these options
# on top of the packaged ones, run that jar (e.g. one built from an older commit), with the
# launcher, node.jvm and node.classlist of that packaging/deb/files directory (give B_HOME with
# B_JAR: the archive is made once per jar); the even ones (group A) run as packaged. A second
# table splits RSS, PSS, idle CPU and CPU at links up by group; node 1 gets Native Memory Tracking
# too. OV_BENCH_GCLOG=1: nodes 0 and 1 log their collections (gc-N-node0.log, gc-N-node1.log beside
# the output). Either way the output directory also gets nodes 0's and 1's resident memory by
# mapping (smaps-N-I.txt, tools/smaps-sum.py) and the CPU of every thread group of nodes 0 and 1
# since start when all pairs reach (threads-start-N-I.txt) and during the idle measurement
# (threads-idle-N-I.txt), by tools/thread-cpu.py.
# A measurement, not a test: nothing here fails on a figure. Cleans up after itself (run "bov").
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ovs-scripts/lib/testbed.sh
for lib in ovs-scripts/lib/*.sh; do [ "$lib" = ovs-scripts/lib/testbed.sh ] || . "$lib"; done
[ "$(id -u)" -eq 0 ] || { echo "bench overlay: needs root" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(4 8 16)

ovs-scripts/install-deps.sh base services
ov_bench_setup
ov_neigh_room "$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)"
[ -z "${OV_BENCH_B_JAR:-}" ] || tb_overlay_prepare "$OV_BENCH_B_JAR" "${OV_BENCH_B_HOME:-}"
ab=${OV_BENCH_B_OPTS:-}${OV_BENCH_B_JAR:+ jar $OV_BENCH_B_JAR}${OV_BENCH_B_HOME:+ files $OV_BENCH_B_HOME}
out_dir=${OV_BENCH_OUT:-/tmp/bench-overlay}
mkdir -p "$out_dir"

now() { date +%s.%N; }

# reach T0 TIMEOUT REPORT HOSTS...: seconds since T0 until the first round in which every listed
# leaf answered every other listed leaf (bench/reach.py: one process, one raw socket per leaf
# namespace, all pairs pinged at once each round); per-pair first-success and recovery times go to
# REPORT and the pairs that reached last to stderr.
reach() {
  local t0=$1 timeout=$2 report=$3 h
  shift 3
  local -a args=()
  for h in "$@"; do args+=("$h=$(tb_nsname "lf$h")=$(ov_leaf_ip "$h")"); done
  REACH_NEIGH=${OV_BENCH_DIAG:+1} /usr/bin/python3 "$repo/ovs-scripts/bench/reach.py" "$t0" "$timeout" "$report" "${args[@]}"
}

# diag N NAME: every node's status JSON, flows and ports into $out_dir/diag-N/NAME/, so the pairs that
# reached last (reach report) can be traced to their nodes' links, learned MACs and flows afterwards.
diag() {
  local d="$out_dir/diag-$1/$2" i
  mkdir -p "$d"
  for ((i = 0; i < $1; i++)); do
    tb_exec "h$i" curl -s --max-time 3 http://127.0.0.1:9410/status > "$d/status-$i.json" 2>/dev/null || true
    tb_ofctl "h$i" br-lab dump-flows > "$d/flows-$i.txt" 2>&1 || true
    tb_ofctl "h$i" br-lab dump-ports-desc > "$d/ports-$i.txt" 2>&1 || true
  done
}

# flood_diag N NAME: what every host's OVS and kernel dropped (see OV_BENCH_DIAG above), beside
# the node's status, into $out_dir/diag-N/NAME/.
flood_diag() {
  local d="$out_dir/diag-$1/$2" i dir
  mkdir -p "$d"
  for ((i = 0; i < $1; i++)); do
    dir=$(tb_ovsdir "h$i")
    tb_exec "h$i" curl -s --max-time 3 http://127.0.0.1:9410/status > "$d/status-$i.json" 2>/dev/null || true
    tb_ofctl "h$i" br-lab dump-flows table=0 > "$d/flows-$i.txt" 2>&1 || true
    tb_ovs "h$i" ovs-appctl -t "$dir/ovs-vswitchd.ctl" coverage/show > "$d/coverage-$i.txt" 2>&1 || true
    tb_vsctl "h$i" list controller > "$d/controller-$i.txt" 2>&1 || true
    tb_vsctl "h$i" --columns=name,statistics list interface > "$d/ifstats-$i.txt" 2>&1 || true
    tb_exec "h$i" ip -s link > "$d/iplink-$i.txt" 2>&1 || true
    tb_exec "h$i" cat /proc/net/snmp > "$d/snmp-$i.txt" 2>&1 || true
    tb_exec "h$i" cat /proc/net/udp > "$d/udp-$i.txt" 2>&1 || true
  done
  /usr/bin/python3 "$repo/ovs-scripts/bench/floodiag.py" "$d" > "$d/floods.md" 2>&1 || true
}

node_pids() { awk '$2 ~ /^node/ {print $1}' "$TB_DIR/pids"; }

# node_opts I N: node I's extra JVM options: Native Memory Tracking for node 0 (and node 1 in an
# A/B run), a GC log for nodes 0 and 1 with OV_BENCH_GCLOG=1, OV_BENCH_B_OPTS for odd nodes.
node_opts() {
  local i=$1 n=$2 o=
  if [ "$i" = 0 ] || { [ "$i" = 1 ] && [ -n "$ab" ]; }; then o="-XX:NativeMemoryTracking=summary"; fi
  if [ "$i" -le 1 ] && [ -n "${OV_BENCH_GCLOG:-}" ]; then o="$o -Xlog:gc,gc+heap+exit:file=$out_dir/gc-$n-node$i.log:uptime"; fi
  if [ $((i % 2)) = 1 ] && [ -n "${OV_BENCH_B_OPTS:-}" ]; then o="$o $OV_BENCH_B_OPTS"; fi
  echo "$o"
}

# group_pids N PARITY: the PIDs of the nodes whose number has that parity (0: group A, 1: group B).
group_pids() {
  local i e
  for ((i = $2; i < $1; i += 2)); do e=$(tb_pid_entry "node$i"); [ -z "$e" ] || echo "${e%@*}"; done
}

# mem_kb FIELD PID...: the sum of a memory field (VmRSS from status, Pss from smaps_rollup) in KB.
mem_kb() {
  local f=$1 t=0 p; shift
  for p in "$@"; do
    if [ "$f" = Pss ]; then
      t=$(( t + $(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0) ))
    else
      t=$(( t + $(awk -v f="$f:" '$1 == f {print $2}' /proc/"$p"/status 2>/dev/null || echo 0) ))
    fi
  done
  echo "$t"
}

# cpu_ticks PID...: user+system clock ticks of these processes together.
cpu_ticks() {
  local t=0 p
  for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' /proc/"$p"/stat 2>/dev/null || echo 0) )); done
  echo "$t"
}

# timelines N: every node's status timeline as "phase seconds node" lines, plus "cpu seconds node"
# (at links up) and "cpu-PHASE seconds node" (CPU used when the node reached PHASE; newer nodes).
timelines() {
  local i body
  for ((i = 0; i < $1; i++)); do
    # Up to three tries: at 32 nodes under load a status answer can take over 3 s, and a node
    # missing here silently shifted the medians (a 32-node A/B table once lacked several nodes).
    body=
    for _ in 1 2 3; do
      body=$(tb_exec "h$i" curl -sf --max-time 5 http://127.0.0.1:9410/status 2>/dev/null) && break
      body=
    done
    printf '%s' "$body" | /usr/bin/python3 -c '
import json, sys
try:
    t = json.load(sys.stdin).get("timeline", {})
except ValueError:
    sys.exit(0)
for k, v in t.get("phases", {}).items():
    print(k, v, sys.argv[1])
if t.get("cpuSecondsAtLinksUp", -1) >= 0:
    print("cpu", t["cpuSecondsAtLinksUp"], sys.argv[1])
for k, v in t.get("cpuSeconds", {}).items():
    print("cpu-" + k, v, sys.argv[1])
' "$i" || true
  done
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -g | tail -1 | awk '{ printf "%.1f", $1 } END { if (NR == 0) print "-" }'; }

rows=()
phase_rows=()
ab_rows=()
for n in "${sizes[@]}"; do
  places=($(ov_bench_places "$n"))
  tb_init "${OV_BENCH_PREFIX:-bov}" $$
  tb_overlay_net_places "$n" 1 "${places[@]}" >/dev/null
  cfgs=()
  for ((i = 0; i < n; i++)); do cfgs+=("$(tb_overlay_config "$i")"); done
  if [ -n "${OV_BENCH_STATIC_NEIGH:-}" ]; then
    # Every leaf knows every other leaf's MAC beforehand: no ARP broadcasts, which at 32 nodes
    # make most of the formation load (each failing pair re-ARPs once a second, each ARP a
    # bounded flood to all nodes: pairs x nodes FRBs), so the two can be told apart.
    for ((s = 0; s < n; s++)); do
      for ((d = 0; d < n; d++)); do
        [ "$s" = "$d" ] || printf 'neigh replace %s lladdr 02:88:00:00:00:%02x dev eth0 nud permanent\n' "$(ov_leaf_ip "$d")" "$d"
      done | tb_exec "lf$s" ip -batch -
    done
  fi
  start=$(now)
  echo "$start" > "$out_dir/start-$n.txt" # the reach report's T0, to line it up with the nodes' logs
  # All at once: one after the other, the shell's own forks under the starting JVMs' load took
  # 20 s at 32 nodes, and the last node's late start counted as formation time.
  starters=()
  for ((i = 0; i < n; i++)); do
    njar=$jar nfiles=
    if [ $((i % 2)) = 1 ]; then njar=${OV_BENCH_B_JAR:-$jar} nfiles=${OV_BENCH_B_HOME:-}; fi
    OV_NODE_FILES=$nfiles OV_JAVA_OPTS=$(node_opts "$i" "$n") tb_overlay_node_start "$i" "$njar" "${cfgs[$i]}" >/dev/null &
    starters+=($!)
  done
  wait "${starters[@]}" # the starting shells only (Prosody and coturn are this shell's children too)
  spawned=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')
  hosts=($(seq 0 $((n - 1))))
  sampler=
  if [ "${OV_BENCH_DIAG:-}" = 2 ]; then
    (for t in 30 60 90 120 150 180 210 240 270 300; do
       sleep $(awk -v t="$t" -v s="$start" -v n="$(now)" 'BEGIN { d = s + t - n; print (d > 0 ? d : 0) }')
       flood_diag "$n" "t$t"
     done) &
    sampler=$!
  fi
  formed=$(reach "$start" "${OV_BENCH_FORM_TIMEOUT:-900}" "$out_dir/reach-form-$n.txt" "${hosts[@]}") || formed=-1
  [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
  tl=$(timelines "$n")
  for i in 0 1; do
    e=$(tb_pid_entry "node$i")
    /usr/bin/python3 "$repo/ovs-scripts/tools/thread-cpu.py" 0 "${e%@*}" > "$out_dir/threads-start-$n-$i.txt" 2>&1 || true
  done
  diag "$n" formed
  if [ -n "${OV_BENCH_DIAG:-}" ]; then
    flood_diag "$n" formed-ovs
    echo "bench overlay: n=$n where FRBs die at formed: $out_dir/diag-$n/formed-ovs/floods.md" >&2
    cat "$out_dir/diag-$n/formed-ovs/floods.md" >&2
  fi
  ph() { echo "$tl" | awk -v k="$1" '$1 == k {print $2}' | "${2:-median}"; }
  phase_rows+=("| $n | $(ph bridge-connected) | $(ph xmpp-online) | $(ph first-link-requested) | $(ph links-up) / $(ph links-up maxof) | $(printf '%.1f' "$formed") | $(ph cpu) |")
  sleep 10 # let shortcuts settle before measuring idle CPU and memory, and killing a node
  pids=($(node_pids))
  pa=($(group_pids "$n" 0)) pb=($(group_pids "$n" 1))
  tpids=()
  for i in 0 1; do
    e=$(tb_pid_entry "node$i")
    /usr/bin/python3 "$repo/ovs-scripts/tools/thread-cpu.py" 20 "${e%@*}" > "$out_dir/threads-idle-$n-$i.txt" 2>&1 &
    tpids+=($!)
  done
  c0=$(cpu_ticks "${pids[@]}") ca0=$(cpu_ticks "${pa[@]}") cb0=$(cpu_ticks "${pb[@]}")
  sleep 20
  c1=$(cpu_ticks "${pids[@]}") ca1=$(cpu_ticks "${pa[@]}") cb1=$(cpu_ticks "${pb[@]}")
  wait "${tpids[@]}" || true
  idle=$(awk -v d=$(( c1 - c0 )) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", 100 * d / hz / 20 / n }')
  rss=0 pss=0 threads=0
  for pid in "${pids[@]}"; do
    rss=$(( rss + $(awk '/VmRSS/ {print $2}' /proc/"$pid"/status 2>/dev/null || echo 0) ))
    # PSS shares the pages mapped by every node (the class-data-sharing archive, the JDK's code) among them.
    pss=$(( pss + $(awk '/^Pss:/ {print $2}' /proc/"$pid"/smaps_rollup 2>/dev/null || echo 0) ))
    threads=$(( threads + $(awk '/^Threads/ {print $2}' /proc/"$pid"/status 2>/dev/null || echo 0) ))
  done
  links=$(tb_exec h0 curl -s --max-time 3 http://127.0.0.1:9410/status | /usr/bin/python3 -c \
    'import json,sys; print(sum(1 for o in json.load(sys.stdin)["overlays"] for l in o["links"] if l["state"] == "up"))' || echo "?")
  # Node 0's own PID (the one started with NMT): the nodes start in parallel, so the PID list is in any order.
  nmt_pid=$(tb_pid_entry node0)
  jcmd "${nmt_pid%@*}" VM.native_memory summary > "$out_dir/nmt-$n.txt" 2>&1 || true
  # Where node 0's and 1's resident memory lies, mapping by mapping (the CDS archive, the heap, libjvm).
  for i in 0 1; do
    e=$(tb_pid_entry "node$i")
    /usr/bin/python3 "$repo/ovs-scripts/tools/smaps-sum.py" "${e%@*}" > "$out_dir/smaps-$n-$i.txt" 2>&1 || true
  done
  if [ -n "$ab" ]; then
    nmt_pid=$(tb_pid_entry node1)
    jcmd "${nmt_pid%@*}" VM.native_memory summary > "$out_dir/nmt-$n-b.txt" 2>&1 || true
    hz=$(getconf CLK_TCK)
    for g in a b; do
      if [ $g = a ]; then gp=("${pa[@]}") d=$(( ca1 - ca0 )) par=0; else gp=("${pb[@]}") d=$(( cb1 - cb0 )) par=1; fi
      k=${#gp[@]}
      gcpu=$(echo "$tl" | awk -v p="$par" '$1 == "cpu" && $3 % 2 == p {print $2}' | median)
      gph() { echo "$tl" | awk -v p="$par" -v k="$1" '$1 == k && $3 % 2 == p {print $2}' | median; }
      glinks=$(echo "$tl" | awk -v p="$par" '$1 == "links-up" && $3 % 2 == p {print $2}' | median)
      ab_rows+=("| $n | ${g^^} ($k) | $(( $(mem_kb VmRSS "${gp[@]}") / k / 1024 )) | $(( $(mem_kb Pss "${gp[@]}") / k / 1024 )) |"\
" $(awk -v d="$d" -v k="$k" -v hz="$hz" 'BEGIN { printf "%.2f", 100 * d / hz / 20 / k }') | $glinks | $gcpu |"\
" $(gph cpu-bridge-connected) | $(gph cpu-xmpp-online) | $(gph bridge-connected) | $(gph xmpp-online) |")
    done
  fi
  if [ "${OV_BENCH_HEAL:-1}" = 0 ]; then
    healed=-1
    rows+=("| $n | $(printf '%.1f' "$formed") | - | $(( rss / n / 1024 )) | $(( pss / n / 1024 )) | $(( threads / n )) | $idle | $links |")
    mkdir -p "$out_dir/diag-$n/logs" && cp "$TB_DIR"/*.log "$out_dir/diag-$n/logs/" 2>/dev/null || true
    for ((i = 0; i < n; i++)); do tb_overlay_node_stop "$i" KILL || true; done
    tb_down
    TB_DIR=
    continue
  fi
  victim=$((n / 2))
  rest=()
  for h in "${hosts[@]}"; do [ "$h" = "$victim" ] || rest+=("$h"); done
  # The check opens its sockets first (seconds at 32 nodes), then times from the kill.
  go="$out_dir/heal-$n.start"
  rm -f "$go" "$go.ready"
  reach "wait:$go" 300 "$out_dir/reach-heal-$n.txt" "${rest[@]}" > "$out_dir/heal-$n.out" &
  checker=$!
  until [ -e "$go.ready" ] || ! kill -0 "$checker" 2>/dev/null; do sleep 0.05; done
  tb_overlay_node_stop "$victim" KILL
  now > "$go.tmp" && mv "$go.tmp" "$go"
  if wait "$checker"; then healed=$(cat "$out_dir/heal-$n.out"); else healed=-1; fi
  diag "$n" healed
  mkdir -p "$out_dir/diag-$n/logs" && cp "$TB_DIR"/*.log "$out_dir/diag-$n/logs/" 2>/dev/null || true
  if [ -n "${OV_BENCH_DIAG:-}" ]; then
    # ovs-vswitchd says why it dropped a controller connection (rconn lines).
    for ((i = 0; i < n; i++)); do cp "$(tb_ovsdir "h$i")/ovs-vswitchd.log" "$out_dir/diag-$n/logs/vswitchd-$i.log" 2>/dev/null || true; done
  fi
  rows+=("| $n | $(printf '%.1f' "$formed") | $(printf '%.1f' "$healed") | $(( rss / n / 1024 )) | $(( pss / n / 1024 )) | $(( threads / n )) | $idle | $links |")
  echo "bench overlay: n=$n all $n nodes spawned in ${spawned}s, formed in ${formed}s, healed in ${healed}s, $(( rss / n / 1024 )) MB RSS and $(( threads / n ))" \
    "threads per node, idle CPU ${idle}% of a core per node (node 0: $links links up; NMT in $out_dir/nmt-$n.txt)" >&2
  for ((i = 0; i < n; i++)); do tb_overlay_node_stop "$i" KILL || true; done
  tb_down
  TB_DIR=
done

echo
echo "| nodes | start to all-pairs reachability (s) | heal after SIGKILL of one node (s) | RSS per node (MB) | PSS per node (MB) | threads per node | idle CPU per node (% of a core) | links of node 0 |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "Start-up phases, medians over the nodes, seconds since each node's process start (links up: median / slowest node);"
echo "all pairs reach: since the first node was started; CPU: median CPU seconds a node had used when its links were up."
echo
echo "| nodes | bridge connected | XMPP online | first link requested | all successor links up | all pairs reach | CPU s per node at links up |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${phase_rows[@]}"
if [ ${#ab_rows[@]} -gt 0 ]; then
  echo
  echo "A/B in one testbed: group A (even nodes) as packaged, group B (odd nodes) with:$ab"
  echo
  echo "| nodes | group | RSS per node (MB) | PSS per node (MB) | idle CPU per node (% of a core) | links up (s, median) | CPU s per node at links up (median) | CPU s at bridge connected | CPU s at XMPP online | bridge connected (s) | XMPP online (s) |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ab_rows[@]}"
fi
