# A cyclic mesh of OVS bridges for switching tests and the standalone demo: N node namespaces,
# each with a netdev bridge "br0" owned by one controller, L leaf namespaces per node, and veth
# links forming a ring with 2 successors per node plus chords across the ring.
# Requires lib/testbed.sh (tb_init done). Writes the controller's topology YAML and a plain-text
# description ($TB_DIR/mesh) that tests read.

MESH_SUBNET=${MESH_SUBNET:-10.77.0}

mesh_node_id() { printf '%02x%030x' $(( $1 * 256 / $2 )) 1; }
mesh_leaf_ip() { echo "$MESH_SUBNET.$(( $1 * 10 + $2 + 11 ))"; }
mesh_leaf_mac() { printf '02:77:00:00:%02x:%02x' "$1" "$2"; }

# tb_mesh_up N CONTROLLER TOPOLOGY_FILE [LEAVES_PER_NODE]
tb_mesh_up() {
  local n=$1 ctl=$2 topo=$3 leaves=${4:-2} i j
  [ "$n" -ge 2 ] && [ "$n" -le 24 ] || { tb_die "mesh size must be 2..24, got $n"; return 1; }
  : > "$TB_DIR/mesh"
  echo "bridges:" > "$topo"
  for ((i = 0; i < n; i++)); do
    tb_ns "n$i" || return 1
    tb_ovs_start "n$i" || return 1
    tb_bridge "n$i" br0 "$(printf '%016x' $((i + 1)))" "$ctl" || return 1
    echo "node $i $(tb_nsname "n$i") $(printf '%016x' $((i + 1))) $(mesh_node_id $i $n)" >> "$TB_DIR/mesh"
    for ((j = 0; j < leaves; j++)); do
      tb_leaf "n$i" "l$i-$j" br0 "$(mesh_leaf_ip $i $j)/24" "$(mesh_leaf_mac $i $j)" || return 1
      echo "leaf $i $j $(tb_nsname "l$i-$j") $(mesh_leaf_ip $i $j) $(mesh_leaf_mac $i $j)" >> "$TB_DIR/mesh"
    done
  done
  # Links: successors i+1 and i+2, chords i+n/2; each pair once.
  local -A linked=()
  local a b d pairs=()
  for ((a = 0; a < n; a++)); do
    for d in 1 2 $((n / 2)); do
      b=$(( (a + d) % n ))
      [ "$a" = "$b" ] && continue
      local key=$(( a < b ? a : b ))-$(( a < b ? b : a ))
      [ -n "${linked[$key]:-}" ] && continue
      linked[$key]=1
      pairs+=("$a $b")
    done
  done
  local p
  for p in "${pairs[@]}"; do
    set -- $p
    # MTU 1600 leaves room for the 56 bytes an FRB wraps around a full-size frame.
    tb_link "n$1" "p$1-$2" "n$2" "p$2-$1" 1600 || return 1
    tb_port "n$1" br0 "p$1-$2" && tb_port "n$2" br0 "p$2-$1" || return 1
    echo "link $1 $2 p$1-$2 p$2-$1" >> "$TB_DIR/mesh"
  done
  for ((i = 0; i < n; i++)); do
    printf '  - datapath-id: "%016x"\n    node-id: "%s"\n    peer-ports:\n' $((i + 1)) "$(mesh_node_id $i $n)" >> "$topo"
    while read -r kind a b pa pb; do
      [ "$kind" = link ] || continue
      [ "$a" = "$i" ] && printf '      %s: "%s"\n' "$pa" "$(mesh_node_id "$b" "$n")" >> "$topo"
      [ "$b" = "$i" ] && printf '      %s: "%s"\n' "$pb" "$(mesh_node_id "$a" "$n")" >> "$topo"
    done < "$TB_DIR/mesh"
  done
  return 0
}

# tb_mesh_info: the mesh description (node/leaf/link lines).
tb_mesh_info() { cat "$TB_DIR/mesh"; }

# tb_mesh_ping_all [COUNT_WAIT]: every leaf pings every other leaf, in parallel per source.
# Prints one line per failed pair and "pairs=N failed=M" last; exit status 0 only if all answered.
tb_mesh_ping_all() {
  local -a entries=()
  while read -r kind i j ns ip mac; do
    [ "$kind" = leaf ] && entries+=("l$i-$j=$ip")
  done < "$TB_DIR/mesh"
  tb_ping_all "${1:-2}" 2 "${entries[@]}"
}
