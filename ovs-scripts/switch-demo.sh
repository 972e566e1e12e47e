#!/usr/bin/env bash
# Symphonet demo: a standalone cyclic mesh of Open vSwitch bridges switched by our bounded-flood
# controller (no tunnels). The full overlay demo (nodes, XMPP, NAT, tunnels) is overlay-demo.sh,
# which `sudo ovs-scripts/demo.sh` runs; this file is `demo.sh switch`.
#
#   sudo ovs-scripts/demo.sh switch          bring it up, show a ping and a broadcast crossing it, tear down
#   sudo ovs-scripts/demo.sh switch up       leave it running (explore with the commands it prints)
#   sudo ovs-scripts/demo.sh switch down     tear it down
#
# Installs what is missing and builds the controller if needed. Idempotent: a previous demo
# (also a killed one) is torn down first. Everything lives in network namespaces named sdemo-*.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
. ovs-scripts/lib/testbed.sh
. ovs-scripts/lib/mesh.sh

NODES=${DEMO_NODES:-6}
STATUS_PORT=${DEMO_STATUS_PORT:-9180}
run=/run/symphonet-sdemo
mode=${1:-show}

[ "$(id -u)" -eq 0 ] || { echo "demo.sh: needs root: sudo $0 $*" >&2; exit 1; }

down() {
  if [ -f "$run/controller.pid" ]; then
    kill "$(cat "$run/controller.pid")" 2>/dev/null || true
    rm -f "$run/controller.pid"
  fi
  if [ -d "$TB_ROOT/sdemo" ]; then
    TB_PREFIX=sdemo TB_DIR=$TB_ROOT/sdemo tb_down
  fi
  rm -rf "$run"
}

case "$mode" in
  down) down; echo "demo: torn down"; exit 0 ;;
  up|show) ;;
  *) sed -n "2,11p" "$0" >&2; exit 2 ;;
esac

down
ovs-scripts/install-deps.sh base
if [ ! -f ofcontroller/target/ofcontroller.jar ]; then
  echo "demo: building the controller (first run only)..."
  mvn -B -q -ntp -pl ofcontroller -am package -DskipTests
fi

mkdir -p "$run"
# The run is owned by PID 1 in 'up' mode (it outlives this script), by this script otherwise.
tb_init sdemo "$([ "$mode" = up ] && echo 1 || echo $$)"
echo "demo: building $NODES OVS bridges in namespaces, ring + 2 successors + chords, 2 leaves each..."
tb_mesh_up "$NODES" "unix:$run/controller.sock" "$run/topology.yaml" 2

setsid java -jar ofcontroller/target/ofcontroller.jar --listen "unix:$run/controller.sock" \
  --topology "$run/topology.yaml" --status "127.0.0.1:$STATUS_PORT" > "$run/controller.log" 2>&1 < /dev/null &
echo $! > "$run/controller.pid"
if [ "$mode" = show ]; then trap 'down' EXIT; trap 'exit 130' INT TERM; fi

echo -n "demo: waiting for all $NODES bridges to connect"
for _ in $(seq 60); do
  n=$(curl -s "127.0.0.1:$STATUS_PORT/status" 2>/dev/null | grep -c '"datapathId"' || true)
  [ "$n" = "$NODES" ] && break
  echo -n .; sleep 1
done
echo " $n connected"

first=l0-0; last=l$((NODES / 2))-1
echo; echo "== ping $first -> $last (across the ring; first packet floods, then it is switched in OVS flows)"
tb_exec "$first" ping -c3 -i0.3 "$(mesh_leaf_ip $((NODES / 2)) 1)"

echo; echo "== all-pairs ping between all $((NODES * 2)) leaves"
tb_mesh_ping_all | tail -1

echo; echo "== one broadcast from $first: copies received per leaf (bounded flood: exactly one each)"
for ((i = 0; i < NODES; i++)); do for j in 0 1; do
  tb_exec "l$i-$j" nft -f - <<<"table netdev demo { chain in { type filter hook ingress device eth0 priority 0; udp dport 9999 counter; }; }"
done; done
before=$(curl -s "127.0.0.1:$STATUS_PORT/metrics" | awk '/^symphonet_switch_frb_sent_total/ {s += $2} END {print s + 0}')
tb_exec "$first" /usr/bin/python3 ovs-scripts/tools/udp-broadcast.py "$MESH_SUBNET.255" 9999 demo
sleep 1
for ((i = 0; i < NODES; i++)); do for j in 0 1; do
  [ "l$i-$j" = "$first" ] && continue
  printf '  l%s-%s: %s\n' "$i" "$j" "$(tb_exec "l$i-$j" nft list chain netdev demo in | grep -o 'packets [0-9]*')"
done; done
after=$(curl -s "127.0.0.1:$STATUS_PORT/metrics" | awk '/^symphonet_switch_frb_sent_total/ {s += $2} END {print s + 0}')
echo "  FRBs over the peer links for it: $((after - before)) (n-1 = $((NODES - 1)))"

echo; echo "== links in the mesh: $(grep -c '^link' "$TB_DIR/mesh") for $NODES bridges; a plain learning switch would storm on these cycles"
echo "   controller status: curl -s 127.0.0.1:$STATUS_PORT/status | metrics: curl -s 127.0.0.1:$STATUS_PORT/metrics"
if [ "$mode" = up ]; then
  echo "   leaves: ip netns exec sdemo-l0-0 ping $(mesh_leaf_ip 1 0) ; flows: OVS_RUNDIR=$TB_DIR/ovs-n0 ovs-ofctl -O OpenFlow13 dump-flows unix:$TB_DIR/ovs-n0/br0.mgmt"
  echo "   tear down: sudo ovs-scripts/demo.sh down"
elif [ -t 0 ]; then
  read -r -p "Press Enter to tear the demo down... " _ || true
fi
