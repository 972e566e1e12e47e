# A Symphonet overlay on one machine: N hosts (namespaces with their own OVS and one leaf each)
# on a shared LAN with an "internet" namespace that runs Prosody; one Symphonet node per host.
# Sourced after lib/testbed.sh and lib/xmpp.sh.

OVERLAY_LAN=${OVERLAY_LAN:-10.200.0}
OVERLAY_LEAVES=${OVERLAY_LEAVES:-10.88.0}
OVERLAY_DOMAIN=${OVERLAY_DOMAIN:-symphonet.test}
OVERLAY2_LEAVES=${OVERLAY2_LEAVES:-10.89.0}

ov_host_ip() { echo "$OVERLAY_LAN.$(( $1 + 11 ))"; }
ov_leaf_ip() { echo "$OVERLAY_LEAVES.$(( $1 + 11 ))"; }
ov_leaf2_ip() { echo "$OVERLAY2_LEAVES.$(( $1 + 11 ))"; }
ov_overlays() { cat "$TB_DIR/overlay-count" 2>/dev/null || echo 1; }

# tb_overlay_net N [UNTRUSTED] [OVERLAYS]: the internet namespace (bridge "lan", Prosody) and N hosts
# with OVS and a leaf lf<I> on br-lab, whose accounts share the roster group "overlay"; then
# UNTRUSTED more hosts built the same way whose accounts exist but are on nobody's roster. With
# OVERLAYS=2 every node also serves overlay "lab2" on br-lab2 with leaves lg<I> in its own subnet.
tb_overlay_net() {
  local n=$1 untrusted=${2:-0} overlays=${3:-1} i group
  echo "$overlays" > "$TB_DIR/overlay-count"
  tb_ns inet || return 1
  tb_exec inet ip link add lan type bridge && tb_exec inet ip link set lan up || return 1
  tb_exec inet ip addr add "$OVERLAY_LAN.1/24" dev lan
  tb_prosody inet "$OVERLAY_LAN.1" "$OVERLAY_DOMAIN" || return 1
  for ((i = 0; i < n + untrusted; i++)); do
    group=overlay
    [ "$i" -ge "$n" ] && group=
    tb_ns "h$i" || return 1
    tb_link "h$i" wan inet "h$i" || return 1
    tb_exec inet ip link set "h$i" master lan
    tb_exec "h$i" ip addr add "$(ov_host_ip $i)/24" dev wan
    tb_ovs_start "h$i" || return 1
    # The node configures the bridge fully on start; it exists now so the leaf can be attached.
    tb_vsctl "h$i" --may-exist add-br br-lab -- set bridge br-lab datapath_type=netdev fail-mode=secure || return 1
    tb_leaf "h$i" "lf$i" br-lab "$(ov_leaf_ip $i)/24" "$(printf '02:88:00:00:00:%02x' "$i")" || return 1
    if [ "$overlays" = 2 ]; then
      tb_vsctl "h$i" --may-exist add-br br-lab2 -- set bridge br-lab2 datapath_type=netdev fail-mode=secure || return 1
      tb_leaf "h$i" "lg$i" br-lab2 "$(ov_leaf2_ip $i)/24" "$(printf '02:89:00:00:00:%02x' "$i")" || return 1
    fi
    tb_xmpp_account "node$i" "pw-node$i" $group || return 1
  done
  tb_prosody_start
}

# tb_overlay_config I: write host I's node.yaml (overlay "lab" on br-lab) and print its path.
tb_overlay_config() {
  local i=$1 dir=$TB_DIR/node$i
  mkdir -p "$dir"
  cat > "$dir/node.yaml" <<YAML
state-dir: $dir/state
status-port: 9410
xmpp:
  jid: node$i@$OVERLAY_DOMAIN
  password: pw-node$i
  server: $OVERLAY_LAN.1
  tls: disabled
overlays:
  - id: lab
    bridge: br-lab
YAML
  if [ "$(ov_overlays)" = 2 ]; then
    printf '  - id: lab2\n    bridge: br-lab2\n' >> "$dir/node.yaml"
  fi
  echo "$dir/node.yaml"
}

# tb_overlay_node_start I JAR: start host I's node (PID recorded as node<I>, log in $TB_DIR/node<I>.log).
tb_overlay_node_start() {
  local i=$1 jar=$2 cfg dir
  cfg=$(tb_overlay_config "$i")
  dir=$(tb_ovsdir "h$i")
  tb_spawn "node$i" "h$i" env OVS_RUNDIR="$dir" OVS_DBDIR="$dir" OVS_LOGDIR="$dir" \
    java -Xms32m -Xmx192m -XX:+UseSerialGC -jar "$jar" node --config "$cfg"
}

# tb_overlay_node_stop I [SIGNAL]: stop host I's node (TERM by default; KILL for a crash).
tb_overlay_node_stop() {
  local pid
  pid=$(awk -v n="node$1" '$2 == n { p = $1 } END { print p }' "$TB_DIR/pids")
  [ -n "$pid" ] || return 0
  if [ "${2:-TERM}" = KILL ]; then
    kill -9 "$pid" 2>/dev/null
  else
    tb_stop_pid "$pid"
  fi
}

# tb_overlay_ping_all N: every leaf pings every other; prints failures and "pairs=.. failed=..".
tb_overlay_ping_all() {
  local n=$1 i j out failed=0 pairs=0
  out=$(mktemp)
  for ((i = 0; i < n; i++)); do
    (
      for ((j = 0; j < n; j++)); do
        [ "$i" = "$j" ] && continue
        tb_exec "lf$i" ping -c1 -W2 -q "$(ov_leaf_ip $j)" >/dev/null 2>&1 \
          || tb_exec "lf$i" ping -c3 -i0.3 -W2 -q "$(ov_leaf_ip $j)" >/dev/null 2>&1 \
          || echo "FAIL lf$i -> $(ov_leaf_ip $j)"
      done
    ) >> "$out" &
  done
  wait
  pairs=$(( n * (n - 1) ))
  failed=$(grep -c FAIL "$out" || true)
  grep FAIL "$out" || true
  rm -f "$out"
  echo "pairs=$pairs failed=$failed"
  [ "$failed" -eq 0 ]
}
