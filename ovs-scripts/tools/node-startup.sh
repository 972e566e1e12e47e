#!/usr/bin/env bash
# node-startup.sh OUT [JAR]: where one node's start-up CPU goes, on a small testbed (3 nodes, one
# public and two behind a NAT, prefix $NSU_PREFIX or "nsu"). Node 0 runs with $NSU_OPTS on top of
# the packaged JVM options (e.g. "-XX:StartFlightRecording=filename=OUT/n0.jfr,settings=profile"
# or "-Xlog:class+load:file=OUT/classes.txt"); when its links are up OUT gets its status JSON
# (timeline: phase times and CPU seconds), its CPU per thread group since start (thread-cpu.py 0)
# and its log (NSU_IDLE=S: also S seconds of its idle CPU per thread group). The other nodes run as packaged. NSU_NODES changes the node count (all started at
# once). NSU_MEM=S: S seconds after its links are up (after the idle sample), node 0's resident
# memory by mapping (smaps.txt, tools/smaps-sum.py), its VmRSS (rss-late.txt) and, with
# -XX:NativeMemoryTracking=summary in NSU_OPTS, its NMT summary (nmt.txt). A measurement for one node, not a benchmark: run it under `heavy` (shared slot).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ovs-scripts/lib/testbed.sh
for lib in ovs-scripts/lib/*.sh; do [ "$lib" = ovs-scripts/lib/testbed.sh ] || . "$lib"; done
out=${1:?usage: node-startup.sh OUT [JAR]}
jar=${2:-$repo/overlay-manager/target/symphonet.jar}
n=${NSU_NODES:-3}
mkdir -p "$out"
tb_init "${NSU_PREFIX:-nsu}" $$
trap 'tb_down' EXIT
mapfile -t places < <(ov_bench_places "$n")
tb_overlay_net_places "$n" 1 "${places[@]}" >/dev/null
# NSU_FILES: another packaging/deb/files directory (launcher, node.jvm, node.classlist) for all
# nodes, e.g. main's for the other side of an A/B (give each side its own copy of the jar: the
# archive beside it belongs to one set of files).
if [ -n "${NSU_FILES:-}" ]; then export OV_NODE_FILES=$NSU_FILES; fi
tb_overlay_prepare "$jar" "${NSU_FILES:-}"
cfgs=()
for ((i = 0; i < n; i++)); do cfgs+=("$(tb_overlay_config "$i")"); done
OV_JAVA_OPTS="${NSU_OPTS:-}" tb_overlay_node_start 0 "$jar" "${cfgs[0]}" >/dev/null
for ((i = 1; i < n; i++)); do tb_overlay_node_start "$i" "$jar" "${cfgs[$i]}" >/dev/null; done
pid=$(tb_pid_entry node0); pid=${pid%@*}
# The launcher execs java: the recorded PID is the JVM's.
for _ in $(seq 240); do
  if tb_exec h0 curl -s --max-time 2 http://127.0.0.1:9410/status > "$out/status.json" 2>/dev/null \
      && grep -q links-up "$out/status.json"; then
    /usr/bin/python3 ovs-scripts/tools/thread-cpu.py 0 "$pid" > "$out/threads-start.txt" || true
    break
  fi
  sleep 0.5
done
grep -o '"timeline".*' "$out/status.json" || echo "node 0's links did not come up" >&2
grep -E 'VmRSS|VmHWM' "/proc/$pid/status" > "$out/rss.txt" 2>/dev/null || true
# NSU_IDLE=S: then S seconds of node 0's CPU per thread group while idle, 20 s after its links are up.
if [ -n "${NSU_IDLE:-}" ]; then
  sleep 20
  /usr/bin/python3 ovs-scripts/tools/thread-cpu.py "$NSU_IDLE" "$pid" > "$out/threads-idle.txt" || true
fi
if [ -n "${NSU_MEM:-}" ]; then
  sleep "$NSU_MEM"
  /usr/bin/python3 ovs-scripts/tools/smaps-sum.py "$pid" > "$out/smaps.txt" 2>&1 || true
  cp "/proc/$pid/smaps" "$out/smaps-raw.txt" 2>/dev/null || true
  grep -E 'VmRSS|VmHWM|Threads' "/proc/$pid/status" > "$out/rss-late.txt" 2>/dev/null || true
  jcmd "$pid" VM.native_memory summary > "$out/nmt.txt" 2>&1 || true
fi
tb_overlay_node_stop 0 TERM
sleep 1
cp "$TB_DIR/node0.log" "$out/node0.log" 2>/dev/null || true
