#!/usr/bin/env bash
# bench.sh overlay [N ...]: how fast a Symphonet overlay forms and heals on this machine.
#
# For each N (default 4 8 16): N hosts in namespaces (a third on the internet LAN, the rest behind
# two endpoint-independent NAT routers), Prosody and coturn, one node and one leaf per host. It
# measures the time from starting all N nodes to the first moment every leaf answers a ping from
# every other leaf, then SIGKILLs one node and measures the time until all remaining leaves reach
# each other again, and the resident memory (RSS) of the node processes. Prints a markdown table.
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
jar=$repo/overlay-manager/target/symphonet.jar
[ -f "$jar" ] || mvn -B -q -ntp -pl overlay-manager -am package -DskipTests

cleanup() { if [ -n "${TB_DIR:-}" ]; then tb_down; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }

# all_reach HOSTS...: every listed leaf answers one ping from every other listed leaf.
all_reach() {
  local -a entries=()
  local h
  for h in "$@"; do entries+=("lf$h=$(ov_leaf_ip "$h")"); done
  tb_ping_all 1 0 "${entries[@]}" >/dev/null
}

rows=()
for n in "${sizes[@]}"; do
  places=()
  for ((i = 0; i < n; i++)); do
    case $((i % 3)) in 0) places+=(pub) ;; 1) places+=(eim:nata) ;; 2) places+=(eim:natb) ;; esac
  done
  tb_init bov $$
  tb_overlay_net_places "$n" 1 "${places[@]}" >/dev/null
  start=$(now)
  for ((i = 0; i < n; i++)); do tb_overlay_node_start "$i" "$jar" >/dev/null; done
  hosts=($(seq 0 $((n - 1))))
  until all_reach "${hosts[@]}"; do sleep 1; done
  formed=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')
  sleep 10 # let shortcuts settle before measuring memory and killing a node
  rss=0
  for pid in $(awk '$2 ~ /^node/ {print $1}' "$TB_DIR/pids"); do
    rss=$(( rss + $(awk '/VmRSS/ {print $2}' /proc/"$pid"/status 2>/dev/null || echo 0) ))
  done
  victim=$((n / 2))
  tb_overlay_node_stop "$victim" KILL
  start=$(now)
  rest=()
  for h in "${hosts[@]}"; do [ "$h" = "$victim" ] || rest+=("$h"); done
  until all_reach "${rest[@]}"; do sleep 1; done
  healed=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')
  rows+=("| $n | $(printf '%.1f' "$formed") | $(printf '%.1f' "$healed") | $(( rss / n / 1024 )) |")
  echo "bench overlay: n=$n formed in ${formed}s, healed in ${healed}s, $(( rss / n / 1024 )) MB RSS per node" >&2
  for ((i = 0; i < n; i++)); do tb_overlay_node_stop "$i" KILL || true; done
  tb_down
  TB_DIR=
done

echo
echo "| nodes | start to all-pairs reachability (s) | heal after SIGKILL of one node (s) | RSS per node (MB) |"
echo "|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
