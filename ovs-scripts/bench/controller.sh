#!/usr/bin/env bash
# bench.sh controller: our OpenFlow controller against ovs-testcontroller and os-ken, in one run.
#
# 1. Controller benchmark (cbench-like): benchmarks/target/ofload.jar emulates N OF 1.3 switches
#    that send PACKET_INs with fresh source MACs toward MACs learned one packet earlier, so a
#    learning controller answers each with a FLOW_MOD and a PACKET_OUT. Throughput mode keeps W
#    packet-ins outstanding per switch (answered packet-ins/s); latency mode keeps one per switch
#    (p50/p99 round trip). The three controllers run one after the other with the same settings,
#    each alone on the machine.
# 2. End to end on real OVS: one private netdev bridge (namespace cb-br) with two leaf namespaces
#    (cb-l1, cb-l2); macpairs.py sends frames with fresh MAC pairs from cb-l1 and answers them from
#    cb-l2; the figure is fresh MAC pairs per second set up end to end (each pair costs the
#    controller two packet-ins, one flow and two packet-outs), plus OVS's own NORMAL learning
#    (no controller) as the bridge's ceiling.
#
# Everything runs under testbed run "cb" (/run/symphonet-tb/cb, namespaces cb-*), torn down on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

SWITCHES=${BENCH_SWITCHES:-16}
WINDOW=${BENCH_WINDOW:-64}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
E2E_DURATION=${BENCH_E2E_DURATION:-10}
E2E_WINDOW=${BENCH_E2E_WINDOW:-32}
E2E_EXCHANGES=${BENCH_E2E_EXCHANGES:-1}
RUN_OF=1
RUN_E2E=1
JFR=${BENCH_JFR:-0}
ROUNDS=${BENCH_ROUNDS:-1}
CONTROLLERS="testcontroller osken ours"
OURS_JAR=${OFCONTROLLER_JAR:-$REPO/ofcontroller/target/ofcontroller.jar}
# Both halves create fresh MACs by the hundred thousand; past its default capacity (100,000 per
# bridge) our controller stops learning and only floods, which is cheaper and not what is measured.
OURS_ARGS=${BENCH_OURS_ARGS:---mac-table-capacity 5000000}
OFLOAD_JAR=$REPO/benchmarks/target/ofload.jar
OUT_DIR=${BENCH_OUT:-$REPO/benchmarks/target/bench}

usage() {
  cat <<USAGE
usage: bench.sh controller [options]
  --switches N      emulated switches (default $SWITCHES)
  --window W        packet-ins outstanding per switch in throughput mode (default $WINDOW)
  --duration S      measured seconds per mode and controller (default $DURATION)
  --warmup S        warm-up seconds per mode (default $WARMUP)
  --e2e-duration S  measured seconds of the end-to-end run per controller (default $E2E_DURATION)
  --e2e-window W    fresh MAC pairs in flight end to end (default $E2E_WINDOW)
  --e2e-exchanges E round trips each pair makes before it counts (default $E2E_EXCHANGES; 1 = a
                    pair is used once, more = pairs that keep talking)
  --only LIST       controllers, comma-separated, of: testcontroller,osken,ours (default all)
                    (ours runs with BENCH_OURS_ARGS, default "$OURS_ARGS", so it learns every MAC)
  --no-e2e          skip the end-to-end OVS figure;  --e2e-only: only that
  --rounds N        repeat everything N times, interleaved, and report each controller's median
                    round (the machine may be shared; default $ROUNDS)
  --jfr             record our controller with JFR during the OF benchmark (file in the output dir)
  --quick           short runs (3 s) for a smoke check
Results: a markdown table on stdout, also saved under $OUT_DIR/.
Environment: OFCONTROLLER_JAR (default ofcontroller/target/ofcontroller.jar).
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --switches) SWITCHES=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --e2e-duration) E2E_DURATION=$2; shift 2 ;;
    --e2e-window) E2E_WINDOW=$2; shift 2 ;;
    --e2e-exchanges) E2E_EXCHANGES=$2; shift 2 ;;
    --only) CONTROLLERS=${2//,/ }; shift 2 ;;
    --no-e2e) RUN_E2E=0; shift ;;
    --e2e-only) RUN_OF=0; shift ;;
    --jfr) JFR=1; shift ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --quick) DURATION=3; WARMUP=1; E2E_DURATION=3; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench controller: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for c in $CONTROLLERS; do
  case "$c" in testcontroller|osken|ours) ;; *) echo "bench controller: unknown controller '$c'" >&2; exit 2 ;; esac
done

[ "$(id -u)" -eq 0 ] || { echo "bench controller: run as root (namespaces, OVS)" >&2; exit 1; }
"$REPO/ovs-scripts/install-deps.sh" bench

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# --- builds ---------------------------------------------------------------------------------------
if [ ! -f "$OFLOAD_JAR" ] || [ -n "$(find "$REPO/benchmarks/src" "$REPO/benchmarks/pom.xml" -newer "$OFLOAD_JAR" -print -quit)" ]; then
  log "building the load generator (benchmarks module)"
  (cd "$REPO" && mvn -q -B -pl benchmarks -am install -DskipTests)
fi
if [[ " $CONTROLLERS " == *" ours "* ]] && [ ! -f "$OURS_JAR" ] && [ -z "${OFCONTROLLER_JAR:-}" ]; then
  log "building our controller (ofcontroller module)"
  (cd "$REPO" && mvn -q -B -pl ofcontroller -am install -DskipTests) || log "ofcontroller build failed"
fi

# --- testbed run "cb" -----------------------------------------------------------------------------
# shellcheck source=../lib/testbed.sh
source "$REPO/ovs-scripts/lib/testbed.sh"
# Like tb_init, but only our own run "cb" is reaped: tb_init's reaper also tears down every other
# run whose recorded owner PID is gone, which can hit a live testbed of someone else whose owner
# was a short-lived shell. A live "cb" run of another bench invocation is refused, not clobbered.
cb_init() {
  TB_PREFIX=cb
  TB_DIR=$TB_ROOT/cb
  if [ -d "$TB_DIR" ]; then
    local owner
    owner=$(cat "$TB_DIR/owner" 2>/dev/null || echo 0)
    if [ "$owner" != 0 ] && kill -0 "$owner" 2>/dev/null; then
      echo "bench controller: another run (pid $owner) owns $TB_DIR" >&2
      exit 1
    fi
    echo "bench controller: cleaning up a stale run (owner $owner gone)" >&2
    tb_down
  fi
  mkdir -p "$TB_DIR"
  touch "$TB_DIR/namespaces" "$TB_DIR/pids"
  echo $$ > "$TB_DIR/owner"
}
cb_init
trap 'rc=$?; trap - EXIT INT TERM; tb_down; exit $rc' EXIT
trap 'exit 130' INT TERM
mkdir -p "$OUT_DIR"
# Run from a private copy: the lead may rebuild ofcontroller/target/ofcontroller.jar meanwhile.
if [ -f "$OURS_JAR" ]; then
  cp "$OURS_JAR" "$TB_DIR/ofcontroller.jar"
  OURS_BUILT=$(date -r "$OURS_JAR" '+%Y-%m-%d %H:%M')
  OURS_JAR=$TB_DIR/ofcontroller.jar
fi
STAMP=$(date +%Y%m%d-%H%M%S)
REPORT=$OUT_DIR/controller-$STAMP.md

nsx() { # nsx NS CMD...: in namespace cb-NS, or the root namespace for "-"
  local ns=$1; shift
  if [ "$ns" = - ]; then "$@"; else tb_exec "$ns" "$@"; fi
}

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
}

wait_listen() { # wait_listen NS PORT PID
  local ns=$1 port=$2 pid=$3 i
  for i in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || return 1
    nsx "$ns" ss -Hltn "sport = :$port" | grep -q . && return 0
    sleep 0.1
  done
  return 1
}

# Machine-wide CPU ticks: "busy total" (all cores) from /proc/stat.
machine_ticks() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
# busy_pct "B0 T0" "B1 T1": machine busy in % of all cores between two machine_ticks samples.
busy_pct() { awk -v a="$1" -v b="$2" 'BEGIN{ split(a, x, " "); split(b, y, " "); if (y[2] > x[2]) printf "%.0f%%", 100 * (y[1] - x[1]) / (y[2] - x[2]); else print "n/a" }'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

describe() {
  case "$1" in
    testcontroller) echo "ovs-testcontroller $(ovs-testcontroller --version 2>/dev/null | awk 'NR==1{print $NF}')" ;;
    osken) echo "os-ken $(dpkg-query -W -f='${Version}' python3-os-ken 2>/dev/null | cut -d- -f1) (bench app)" ;;
    ours) echo "ours (ofcontroller${OURS_BUILT:+, jar of $OURS_BUILT})" ;;
    normal) echo "OVS NORMAL, no controller" ;;
  esac
}

CTL_PID=
CTL_LOG=
# start_ctl KIND NS PORT [EXTRA_JVM_OPTS]: start a controller listening on 127.0.0.1:PORT in NS.
start_ctl() {
  local kind=$1 ns=$2 port=$3 jvm=${4:-} name="$1-${2//-/root}-$3"
  CTL_PID=
  CTL_LOG=$TB_DIR/$name.log
  case "$kind" in
    testcontroller)
      nsx "$ns" ovs-testcontroller -O OpenFlow13 "ptcp:$port:127.0.0.1" \
        --unixctl="$TB_DIR/$name.ctl" --pidfile="$TB_DIR/$name.pid" \
        --log-file="$CTL_LOG" --detach 2>>"$CTL_LOG" || return 1
      CTL_PID=$(cat "$TB_DIR/$name.pid")
      echo "$CTL_PID $name $ns" >> "$TB_DIR/pids"
      ;;
    osken)
      CTL_PID=$(tb_spawn "$name" "$ns" /usr/bin/python3 /usr/bin/osken-manager \
        --ofp-tcp-listen-port "$port" --ofp-listen-host 127.0.0.1 "$HERE/osken_learning_switch.py")
      ;;
    ours)
      [ -f "$OURS_JAR" ] || { echo "no $OURS_JAR" > "$CTL_LOG"; return 1; }
      # shellcheck disable=SC2086
      CTL_PID=$(tb_spawn "$name" "$ns" java $jvm -jar "$OURS_JAR" --listen "tcp:127.0.0.1:$port" $OURS_ARGS)
      ;;
  esac
  wait_listen "$ns" "$port" "$CTL_PID"
}

stop_ctl() { [ -n "$CTL_PID" ] && tb_stop_pid "$CTL_PID"; CTL_PID=; }

field() { # field KEY LINE
  local kv
  for kv in $2; do [ "${kv%%=*}" = "$1" ] && { echo "${kv#*=}"; return; }; done
  echo ""
}

fmt_int() { # 12345.6 -> 12,346
  [ -n "$1" ] || { echo "n/a"; return; }
  printf '%.0f' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}
fmt_us() {
  [ -n "$1" ] || { echo "n/a"; return; }
  awk -v v="$1" 'BEGIN { if (v >= 1000) printf "%.2f ms", v / 1000; else printf "%.0f µs", v }'
}
ratio() { # ratio A B -> "A/B×"
  [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > 0 && b > 0) }' \
    && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }' || echo "n/a"
}

declare -A TPUT_EFF E2E_LOAD LOAD BUSY TPUT TPUT_FM TPUT_CPU LAT50 LAT99 LATRATE NOTE E2E E2E_P50 E2E_LOST E2E_CPU E2E_VSW

# --- 1. OpenFlow controller benchmark -------------------------------------------------------------
run_of() {
  local kind=$1 key="$1#$2" port out err jvm=""
  port=$(free_port)
  if [ "$kind" = ours ] && [ "$JFR" = 1 ]; then
    jvm="-XX:+FlightRecorder -XX:StartFlightRecording=filename=$OUT_DIR/ours-$STAMP-$2.jfr,settings=profile"
  fi
  log "OF benchmark: $(describe "$kind") on port $port"
  if ! start_ctl "$kind" - "$port" "$jvm"; then
    NOTE[$key]="did not start: $(tail -3 "$CTL_LOG" 2>/dev/null | tr '\n' ' ' | cut -c1-200)"
    log "${NOTE[$key]}"
    stop_ctl
    return 0
  fi
  out=$TB_DIR/ofload-$kind-$2.out
  err=$TB_DIR/ofload-$kind-$2.err
  LOAD[$key]=$(cut -d' ' -f1 /proc/loadavg)
  local m0 m1
  m0=$(machine_ticks)
  java -jar "$OFLOAD_JAR" --controller "tcp:127.0.0.1:$port" --switches "$SWITCHES" --window "$WINDOW" \
    --duration "$DURATION" --warmup "$WARMUP" --mode both --label "$kind" --watch-pid "$CTL_PID" \
    >"$out" 2>"$err" || true
  m1=$(machine_ticks)
  BUSY[$key]=$(busy_pct "$m0" "$m1")
  grep -v '^RESULT' "$out" >&2 || true
  grep -i 'note\|ofload:' "$err" | head -5 >&2 || true
  local tl ll
  tl=$(grep '^RESULT mode=throughput' "$out" || true)
  ll=$(grep '^RESULT mode=latency' "$out" || true)
  TPUT[$key]=$(field answered_per_s "$tl")
  TPUT_FM[$key]=$(awk -v f="$(field flow_mods "$tl")" -v ad="$(field flow_adds "$tl")" -v de="$(field flow_deletes "$tl")" \
    -v a="$(field answered "$tl")" 'BEGIN{ if (a > 0) { printf "%.2f", f / a; if (de > 0) printf " (%.2f add, %.2f delete)", ad / a, de / a } }')
  local adds_per_answer
  adds_per_answer=$(awk -v ad="$(field flow_adds "$tl")" -v a="$(field answered "$tl")" 'BEGIN{ if (a > 0) printf "%.2f", ad / a; else print 0 }')
  if [ -n "$tl" ] && awk -v x="$adds_per_answer" 'BEGIN{ exit !(x < 0.9) }'; then
    NOTE[$key]="only $adds_per_answer flow adds per answered packet-in: not installing flows for every new MAC"
  fi
  TPUT_CPU[$key]="$(field controller_cpu_pct "$tl")% / $(field generator_cpu_pct "$tl")%"
  TPUT_EFF[$key]=$(awk -v r="$(field answered_per_s "$tl")" -v c="$(field controller_cpu_pct "$tl")" 'BEGIN{ if (c > 0) printf "%.0f", r * 100 / c }')
  LAT50[$key]=$(field p50_us "$ll")
  LAT99[$key]=$(field p99_us "$ll")
  LATRATE[$key]=$(field answered_per_s "$ll")
  if [ -z "$tl" ]; then
    NOTE[$key]="no result: $(grep -m1 'ofload:' "$err" | cut -c1-200)"
  elif [ "$(field lost "$tl")" != 0 ] || [ "$(field errors "$tl")" != 0 ]; then
    NOTE[$key]="${NOTE[$key]:+${NOTE[$key]}; }lost $(field lost "$tl"), errors $(field errors "$tl")"
  fi
  kill -0 "$CTL_PID" 2>/dev/null || NOTE[$key]="${NOTE[$key]:-} controller exited during the run"
  cp "$out" "$OUT_DIR/ofload-$kind-$STAMP-$2.out"
  cp "$CTL_LOG" "$OUT_DIR/$kind-$STAMP.log" 2>/dev/null || true
  stop_ctl
}

# --- 2. end to end on one netdev bridge -----------------------------------------------------------
E2E_READY=0
e2e_setup() {
  tb_ns br
  tb_ovs_start br
  tb_ns l1
  tb_ns l2
  tb_link l1 eth0 br l1
  tb_link l2 eth0 br l2
  E2E_READY=1
}

e2e_bridge() { # e2e_bridge CONTROLLER_TARGET|normal
  tb_vsctl br -- --if-exists del-br br0
  if [ "$1" = normal ]; then
    tb_vsctl br add-br br0 -- set bridge br0 datapath_type=netdev fail-mode=standalone
  else
    tb_bridge br br0 0000000000000cb1 "$1"
  fi
  tb_port br br0 l1
  tb_port br br0 l2
  tb_exec br ip link set br0 up 2>/dev/null || true
}

wait_connected() {
  local i
  for i in $(seq 100); do
    [ "$(tb_vsctl br get controller br0 is_connected 2>/dev/null)" = true ] && return 0
    sleep 0.1
  done
  return 1
}

run_e2e() {
  local kind=$1 key="$1#$2" port line vsw v0 v1 c0 c1 secs rpid
  [ "$E2E_READY" = 1 ] || e2e_setup
  port=$(free_port)
  log "end to end: $(describe "$kind")"
  if [ "$kind" = normal ]; then
    e2e_bridge normal
    CTL_PID=
  else
    if ! start_ctl "$kind" br "$port"; then
      E2E[$key]=""; NOTE[e2e-$key]="did not start"; stop_ctl; return 0
    fi
    e2e_bridge "tcp:127.0.0.1:$port"
    if ! wait_connected; then
      E2E[$key]=""; NOTE[e2e-$key]="bridge did not connect"; stop_ctl; return 0
    fi
  fi
  sleep 1
  rpid=$(tb_spawn "responder-$kind-$2" l2 /usr/bin/python3 "$HERE/macpairs.py" respond --iface eth0)
  sleep 0.3
  vsw=$(cat "$(tb_ovsdir br)/ovs-vswitchd.pid")
  E2E_LOAD[$key]=$(cut -d' ' -f1 /proc/loadavg)
  v0=$(cpu_ticks "$vsw"); c0=0; [ -n "$CTL_PID" ] && c0=$(cpu_ticks "$CTL_PID")
  secs=$(date +%s.%N)
  line=$(tb_exec l1 /usr/bin/python3 "$HERE/macpairs.py" initiate --iface eth0 \
    --duration "$E2E_DURATION" --warmup 2 --window "$E2E_WINDOW" --exchanges "$E2E_EXCHANGES" | grep '^RESULT' || true)
  secs=$(awk -v a="$secs" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')
  v1=$(cpu_ticks "$vsw"); c1=0; [ -n "$CTL_PID" ] && c1=$(cpu_ticks "$CTL_PID")
  log "  $line"
  E2E[$key]=$(field pairs_per_s "$line")
  E2E_P50[$key]=$(field p50_ms "$line")
  E2E_LOST[$key]=$(field lost "$line")
  E2E_VSW[$key]=$(awk -v t=$((v1 - v0)) -v s="$secs" 'BEGIN{ printf "%.0f%%", t / s }')
  if [ -n "$CTL_PID" ]; then
    E2E_CPU[$key]=$(awk -v t=$((c1 - c0)) -v s="$secs" 'BEGIN{ printf "%.0f%%", t / s }')
  else
    E2E_CPU[$key]="-"
  fi
  tb_stop_pid "$rpid" || true
  stop_ctl || true
  tb_vsctl br -- --if-exists del-br br0 || log "could not delete br0 (is the bench's ovsdb-server still running?)"
}

# --- run ------------------------------------------------------------------------------------------
# pick_median KEYARRAY C: the round of controller C whose KEYARRAY value is the median; copies
# every per-round field of that round to key C, so the report shows one consistent round.
pick_median() {
  local -n arr=$1
  local c=$2 r best
  best=$(for r in $(seq "$ROUNDS"); do echo "${arr[$c#$r]:-0} $r"; done | sort -n | awk '{ v[NR] = $2 } END { print v[int((NR + 1) / 2)] }')
  MEDIAN_ROUND[$c]=$best
  local name
  for name in LOAD BUSY TPUT TPUT_EFF TPUT_FM TPUT_CPU LAT50 LAT99 LATRATE E2E E2E_P50 E2E_LOST E2E_CPU E2E_VSW E2E_LOAD; do
    local -n f=$name
    [ -n "${f[$c#$best]+x}" ] && f[$c]=${f[$c#$best]}
  done
  [ -n "${NOTE[$c#$best]+x}" ] && NOTE[$c]=${NOTE[$c#$best]}
  [ -n "${NOTE[e2e-$c#$best]+x}" ] && NOTE[e2e-$c]=${NOTE[e2e-$c#$best]}
  if [ "$ROUNDS" -gt 1 ]; then
    local all
    all=$(for r in $(seq "$ROUNDS"); do printf '%s ' "$(fmt_int "${arr[$c#$r]:-}")"; done)
    NOTE[$3$c]="${NOTE[$3$c]:+${NOTE[$3$c]}; }median of $ROUNDS rounds: ${all% }"
  fi
}
declare -A MEDIAN_ROUND
if [ "$RUN_OF" = 1 ]; then
  for r in $(seq "$ROUNDS"); do
    for c in $CONTROLLERS; do run_of "$c" "$r" || { log "OF benchmark of $c failed"; stop_ctl || true; }; done
  done
  for c in $CONTROLLERS; do pick_median TPUT "$c" ""; done
fi
if [ "$RUN_E2E" = 1 ]; then
  for r in $(seq "$ROUNDS"); do
    for c in normal $CONTROLLERS; do
      run_e2e "$c" "$r" || { log "end-to-end run of $c failed"; stop_ctl || true; }
    done
  done
  for c in normal $CONTROLLERS; do pick_median E2E "$c" e2e-; done
fi

# --- report ---------------------------------------------------------------------------------------
{
  echo "## Controller benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r))"
  echo
  if [ "$RUN_OF" = 1 ]; then
    echo "cbench-like load from \`benchmarks/target/ofload.jar\`: $SWITCHES emulated OF 1.3 switches;"
    echo "throughput = packet-ins answered per second with $WINDOW outstanding per switch"
    echo "(a packet-in is answered by the PACKET_OUT carrying its frame; flow-mods counted alongside);"
    echo "latency = round trip with 1 outstanding per switch. ${DURATION} s measured per mode after ${WARMUP} s warm-up."
    echo "Each emulated switch holds at most 10,000 flows that asked for FLOW_REMOVED; older ones idle out"
    echo "(FLOW_REMOVED sent), so a controller that forgets MACs on flow removal keeps a steady-state table."
    echo "CPU: % of one core over the measured window (throughput mode). The machine is shared: the 1-min load"
    echo "average before each run and the machine-wide busy share (all cores) during it show other work."
    echo
    echo "| controller | answered packet-ins/s | per controller CPU-second | flow-mods per answer | CPU controller / generator | latency p50 | latency p99 | rate at 1 outstanding | load before / machine busy | notes |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for c in $CONTROLLERS; do
      echo "| $(describe "$c") | $(fmt_int "${TPUT[$c]:-}") | $(fmt_int "${TPUT_EFF[$c]:-}") | ${TPUT_FM[$c]:-n/a} | ${TPUT_CPU[$c]:-n/a} | $(fmt_us "${LAT50[$c]:-}") | $(fmt_us "${LAT99[$c]:-}") | $(fmt_int "${LATRATE[$c]:-}") | ${LOAD[$c]:-n/a} / ${BUSY[$c]:-n/a} | ${NOTE[$c]:-} |"
    done
    if [[ " $CONTROLLERS " == *" ours "* ]]; then
      echo
      echo "| ratio | throughput | per CPU-second | latency p50 | latency p99 |"
      echo "|---|---:|---:|---:|---:|"
      for c in osken testcontroller; do
        [[ " $CONTROLLERS " == *" $c "* ]] || continue
        echo "| ours / $(describe "$c" | cut -d' ' -f1-2) | $(ratio "${TPUT[ours]:-}" "${TPUT[$c]:-}") | $(ratio "${TPUT_EFF[ours]:-}" "${TPUT_EFF[$c]:-}") | $(ratio "${LAT50[ours]:-}" "${LAT50[$c]:-}") | $(ratio "${LAT99[ours]:-}" "${LAT99[$c]:-}") |"
      done
    fi
    echo
  fi
  if [ "$RUN_E2E" = 1 ]; then
    echo "End to end: one OVS $(ovs-vswitchd --version | awk 'NR==1{print $NF}') netdev bridge (private ovs-vswitchd in a namespace), two veth leaves;"
    echo "fresh MAC pairs set up per second (request to an unknown MAC, flooded; reply to the learned MAC, a new flow),"
    echo "$E2E_WINDOW pairs in flight, $E2E_EXCHANGES round trip(s) per pair, ${E2E_DURATION} s measured."
    echo
    echo "| controller | fresh MAC pairs/s | pair round trip p50 | lost | ovs-vswitchd CPU | controller CPU | load before | notes |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    for c in normal $CONTROLLERS; do
      echo "| $(describe "$c") | $(fmt_int "${E2E[$c]:-}") | ${E2E_P50[$c]:-n/a} ms | ${E2E_LOST[$c]:-n/a} | ${E2E_VSW[$c]:-n/a} | ${E2E_CPU[$c]:-n/a} | ${E2E_LOAD[$c]:-n/a} | ${NOTE[e2e-$c]:-} |"
    done
    if [[ " $CONTROLLERS " == *" ours "* ]]; then
      echo
      for c in osken testcontroller normal; do
        [[ " $CONTROLLERS " == *" $c "* ]] || [ "$c" = normal ] || continue
        echo "- ours / $(describe "$c"): $(ratio "${E2E[ours]:-}" "${E2E[$c]:-}")"
      done
    fi
  fi
} | tee "$REPORT"
log "report saved to $REPORT"
