#!/usr/bin/env bash
# Symphonet demo.
#
#   sudo ovs-scripts/demo.sh             the overlay: 6 nodes (2 public, 3 behind endpoint-independent NATs,
#                                        1 behind a symmetric NAT), Prosody and coturn in an "internet"
#                                        namespace, one leaf per node; shows a node's status, an all-pairs
#                                        ping and a broadcast count, then waits for Ctrl-C and tears down;
#                                        a status collector beside Prosody serves the live dashboard at
#                                        http://127.0.0.1:${DEMO_DASHBOARD_PORT:-9420}/ (printed)
#   sudo ovs-scripts/demo.sh up          the same, left running (see the commands it prints)
#   sudo ovs-scripts/demo.sh down        tear it down
#   sudo ovs-scripts/demo.sh switch ...  the standalone switch demo (controller only, no tunnels)
#
# Installs what is missing and builds what is not built. Idempotent; everything lives in network
# namespaces named demo-* (or sdemo-* for the switch demo) and is removed on exit. DEMO_PREFIX
# renames the namespaces (demo by default), DEMO_DASHBOARD_PORT moves the dashboard.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
if [ "${1:-}" = switch ]; then
  shift
  exec ovs-scripts/switch-demo.sh "$@"
fi
. ovs-scripts/lib/testbed.sh
for lib in ovs-scripts/lib/*.sh; do [ "$lib" = ovs-scripts/lib/testbed.sh ] || . "$lib"; done

mode=${1:-show}
prefix=${DEMO_PREFIX:-demo}
[ "$(id -u)" -eq 0 ] || { echo "demo.sh: needs root: sudo $0 $*" >&2; exit 1; }
PLACES=(pub pub eim:nata eim:nata eim:natb sym:natc)
N=${#PLACES[@]}

down() {
  if [ -d "$TB_ROOT/$prefix" ]; then
    TB_PREFIX=$prefix TB_DIR=$TB_ROOT/$prefix
    for ((i = 0; i < N; i++)); do tb_overlay_node_stop "$i" 2>/dev/null || true; done
    tb_down
  fi
}

case "$mode" in
  down) down; echo "demo: torn down"; exit 0 ;;
  up|show) ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac

down
ovs-scripts/install-deps.sh base services
jar=$repo/overlay-manager/target/symphonet.jar
if [ ! -f "$jar" ]; then
  echo "demo: building Symphonet (first run only)..."
  mvn -B -q -ntp -pl overlay-manager -am package -DskipTests
fi

tb_init "$prefix" "$([ "$mode" = up ] && echo 1 || echo $$)"
if [ "$mode" = show ]; then
  trap 'echo; echo "demo: tearing down"; down' EXIT
  trap 'exit 130' INT TERM
fi
echo "demo: building the internet (Prosody, coturn), NAT routers and $N hosts with OVS and a leaf each..."
tb_overlay_net_places "$N" 1 "${PLACES[@]}"
# The collector goes up first so every node's config carries its report block.
dashboard=""
if dashboard=$(tb_overlay_collector "$jar" "${DEMO_DASHBOARD_PORT:-9420}" 3s); then
  echo "demo: dashboard (live ring, links, events) at $dashboard"
else
  echo "demo: the collector's dashboard is not reachable on 127.0.0.1:${DEMO_DASHBOARD_PORT:-9420} (port taken? set DEMO_DASHBOARD_PORT)" >&2
fi
for ((i = 0; i < N; i++)); do
  tb_overlay_node_start "$i" "$jar" >/dev/null
  printf '  node%s on host %s-h%s (%s), leaf %s-lf%s %s\n' "$i" "$prefix" "$i" "${PLACES[$i]}" "$prefix" "$i" "$(ov_leaf_ip $i)"
done

echo -n "demo: waiting for the ring to form"
for _ in $(seq 90); do
  ok=1
  for ((i = 0; i < N; i++)); do
    st=$(tb_exec "h$i" curl -s --max-time 2 127.0.0.1:9410/status 2>/dev/null || true)
    links=$(grep -Eo '"state" *: *"up"' <<<"$st" | wc -l || true)
    # Whole ring: at least the two successor links up and no node missing its next neighbour.
    [ "${links:-0}" -ge 2 ] || ok=0
    grep -Eq '"ringGap" *: *false' <<<"$st" || ok=0
  done
  [ $ok = 1 ] && break
  echo -n .; sleep 2
done
echo

echo; echo "== symphonet status on host $prefix-h0"
tb_exec h0 java -jar "$jar" status || true

echo; echo "== all-pairs ping between the $N leaves (over the overlay's tunnels)"
tb_overlay_ping_all "$N" || true

echo; echo "== one broadcast from leaf 0: copies received per leaf (bounded flood: one each)"
for ((i = 0; i < N; i++)); do
  tb_exec "lf$i" nft -f - <<<"table netdev demo { chain in { type filter hook ingress device eth0 priority 0; udp dport 9999 meta pkttype broadcast counter; }; }"
done
tb_exec lf0 /usr/bin/python3 ovs-scripts/tools/udp-broadcast.py "$OVERLAY_LEAVES.255" 9999 demo
sleep 1
for ((i = 1; i < N; i++)); do
  printf '  leaf %s: %s\n' "$i" "$(tb_exec "lf$i" nft list chain netdev demo in | grep -o 'packets [0-9]*')"
done

echo
[ -n "$dashboard" ] && echo "   dashboard:         $dashboard   (JSON: ${dashboard}api/v1/overlays, events: ${dashboard}api/v1/events)"
echo "   a node's status:   sudo ip netns exec $prefix-h0 java -jar $jar status"
echo "   a leaf's shell:    sudo ip netns exec $prefix-lf0 bash   (leaves are $OVERLAY_LEAVES.11 ..)"
echo "   node logs:         $TB_DIR/node<I>.log"
if [ "$mode" = up ]; then
  echo "   tear down:         sudo ovs-scripts/demo.sh down"
elif [ -t 0 ]; then
  echo "demo: running; press Ctrl-C to tear it down"
  # wait (unlike a foreground sleep) returns at once on Ctrl-C or TERM, so the trap tears down promptly.
  while true; do sleep 3600 & wait $!; done
fi
# Without a terminal (a script, CI) the demo ends here and the trap tears it down.
