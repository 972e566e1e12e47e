# A Symphonet overlay on one machine: N hosts (namespaces with their own OVS and one leaf each)
# on a shared LAN with an "internet" namespace that runs Prosody; one Symphonet node per host.
# Sourced after lib/testbed.sh and lib/xmpp.sh.

OVERLAY_LAN=${OVERLAY_LAN:-10.200.0}
OVERLAY_LEAVES=${OVERLAY_LEAVES:-10.88.0}
OVERLAY_DOMAIN=${OVERLAY_DOMAIN:-symphonet.test}
OVERLAY2_LEAVES=${OVERLAY2_LEAVES:-10.89.0}
OVERLAY_COLLECTOR_PORT=${OVERLAY_COLLECTOR_PORT:-9420}

ov_host_ip() { echo "$OVERLAY_LAN.$(( $1 + 11 ))"; }
ov_leaf_ip() { echo "$OVERLAY_LEAVES.$(( $1 + 11 ))"; }
ov_leaf2_ip() { echo "$OVERLAY2_LEAVES.$(( $1 + 11 ))"; }
ov_overlays() { cat "$TB_DIR/overlay-count" 2>/dev/null || echo 1; }

# tb_overlay_net N [UNTRUSTED] [OVERLAYS]: the internet namespace (bridge "lan", Prosody) and N hosts
# with OVS and a leaf lf<I> on br-lab, whose accounts share the roster group "overlay"; then
# UNTRUSTED more hosts built the same way whose accounts exist but are on nobody's roster. With
# OVERLAYS=2 every node also serves overlay "lab2" on br-lab2 with leaves lg<I> in its own subnet.
# All hosts sit on the internet LAN (public addresses, direct links).
tb_overlay_net() {
  local n=$1 untrusted=${2:-0} overlays=${3:-1} i places=()
  for ((i = 0; i < n + untrusted; i++)); do places+=(pub); done
  tb_overlay_net_places "$n" "$overlays" "${places[@]}"
}

# tb_overlay_net_places TRUSTED OVERLAYS PLACE...: like tb_overlay_net, one host per PLACE:
#   pub         on the internet LAN with a public address
#   eim:NAME    behind NAT router NAME with endpoint-independent mapping (hosts of one NAME share its LAN)
#   sym:NAME    behind NAT router NAME with symmetric (random port) mapping
# The first TRUSTED hosts are on the roster group; the rest are not. coturn (STUN and TURN) runs
# beside Prosody, and node configs list it.
tb_overlay_net_places() {
  local trusted=$1 overlays=$2 i=0 place group; shift 2
  echo "$overlays" > "$TB_DIR/overlay-count"
  tb_ns inet || return 1
  tb_exec inet ip link add lan type bridge && tb_exec inet ip link set lan up || return 1
  tb_exec inet ip addr add "$OVERLAY_LAN.1/24" dev lan
  if ov_own_xmpp; then
    tb_prosody inet "$OVERLAY_LAN.1" "$OVERLAY_DOMAIN" || return 1
  fi
  tb_turn inet "$OVERLAY_LAN.1" symphonet turn-secret || return 1
  echo "$OVERLAY_LAN.1 symphonet turn-secret" > "$TB_DIR/turn"
  for place in "$@"; do
    group=overlay
    [ "$i" -ge "$trusted" ] && group=
    ov_host "$i" "$place" || return 1
    tb_vsctl "h$i" --may-exist add-br br-lab -- set bridge br-lab datapath_type=netdev fail-mode=secure || return 1
    tb_leaf "h$i" "lf$i" br-lab "$(ov_leaf_ip $i)/24" "$(printf '02:88:00:00:00:%02x' "$i")" || return 1
    if [ "$overlays" = 2 ]; then
      tb_vsctl "h$i" --may-exist add-br br-lab2 -- set bridge br-lab2 datapath_type=netdev fail-mode=secure || return 1
      tb_leaf "h$i" "lg$i" br-lab2 "$(ov_leaf2_ip $i)/24" "$(printf '02:89:00:00:00:%02x' "$i")" || return 1
    fi
    if ov_own_xmpp; then
      tb_xmpp_account "node$i" "pw-node$i" $group || return 1
    else
      echo "node$i pw-node$i $group" >> "$TB_DIR/xmpp-accounts"
    fi
    i=$((i + 1))
  done
  if ov_own_xmpp; then tb_prosody_start; fi
}

# tb_overlay_xmpp_external: the next tb_overlay_net_places starts no Prosody; the caller runs another
# XMPP server on $OVERLAY_LAN.1:5222 in the internet namespace (domain $OVERLAY_DOMAIN) and creates
# the accounts listed in $TB_DIR/xmpp-accounts ("USER PASSWORD [GROUP]" per line).
tb_overlay_xmpp_external() { : > "$TB_DIR/xmpp-external"; }
ov_own_xmpp() { [ ! -f "$TB_DIR/xmpp-external" ]; }

# tb_overlay_xmpp_second_server: a second XMPP host beside the internet namespace: namespace inet2
# on the internet LAN at $OVERLAY_LAN.2 (for a second member of an XMPP cluster, started by the
# caller). Node configs written from now on list both servers, host I's own first: even hosts
# $OVERLAY_LAN.1, odd hosts $OVERLAY_LAN.2, so the overlay is split across the two.
tb_overlay_xmpp_second_server() {
  tb_ns inet2 || return 1
  tb_link inet2 eth0 inet x2 || return 1
  tb_exec inet ip link set x2 master lan || return 1
  tb_exec inet2 ip addr add "$OVERLAY_LAN.2/24" dev eth0 || return 1
  tb_exec inet2 ip route add default via "$OVERLAY_LAN.1" || return 1
  echo "$OVERLAY_LAN.1 $OVERLAY_LAN.2" > "$TB_DIR/xmpp-servers"
}

# ov_xmpp_servers I: host I's server lines for node.yaml: "server: ..." or, with two servers, its
# "servers:" list starting at its own; with federated sites (lib/federation.sh), its site's server.
ov_xmpp_servers() {
  local i=$1 list n k domain addr
  if [ -f "$TB_DIR/xmpp-site-$i" ]; then
    read -r domain addr < "$TB_DIR/xmpp-site-$i"
    printf '  server: %s\n' "$addr"
    return
  fi
  if [ ! -f "$TB_DIR/xmpp-servers" ]; then
    printf '  server: %s\n' "$OVERLAY_LAN.1"
    return
  fi
  read -r -a list < "$TB_DIR/xmpp-servers"
  n=${#list[@]}
  printf '  servers:\n'
  for ((k = 0; k < n; k++)); do printf '    - %s\n' "${list[$(( (i + k) % n ))]}"; done
}

# ov_host I PLACE: host namespace h<I> with its OVS, placed on the internet or behind a NAT router.
ov_host() {
  local i=$1 place=$2 kind name
  tb_ns "h$i" || return 1
  case "$place" in
    pub)
      tb_link "h$i" wan inet "h$i" || return 1
      tb_exec inet ip link set "h$i" master lan
      tb_exec "h$i" ip addr add "$(ov_host_ip $i)/24" dev wan
      ;;
    eim:*|sym:*)
      kind=${place%%:*} name=${place#*:}
      [ -f "$TB_DIR/nat-$name" ] || ov_nat_router "$name" "$kind" || return 1
      local k; k=$(cat "$TB_DIR/nat-$name")
      tb_link "h$i" wan "$name" "h$i" || return 1
      tb_exec "$name" ip link set "h$i" master lan
      tb_exec "h$i" ip addr add "10.210.$k.$(( i + 11 ))/24" dev wan
      tb_route "h$i" "10.210.$k.1"
      ;;
    *) tb_die "unknown host place '$place' (pub, eim:NAME, sym:NAME)"; return 1 ;;
  esac
  tb_ovs_start "h$i"
}

# ov_nat_router NAME eim|sym: a NAT router on the internet LAN with a LAN of its own (10.210.K.0/24).
ov_nat_router() {
  local name=$1 kind=$2 k
  k=$(( $(ls "$TB_DIR"/nat-* 2>/dev/null | wc -l) + 1 ))
  tb_ns "$name" || return 1
  tb_link "$name" wan inet "$name" || return 1
  tb_exec inet ip link set "$name" master lan
  tb_exec "$name" ip addr add "$OVERLAY_LAN.$(( 100 + k ))/24" dev wan
  tb_exec "$name" ip link add lan type bridge && tb_exec "$name" ip link set lan up || return 1
  tb_exec "$name" ip addr add "10.210.$k.1/24" dev lan
  tb_nat "$name" wan "$([ "$kind" = sym ] && echo symmetric || echo eim)" || return 1
  # The internet routes the private LAN to its NAT router, whose firewall drops what it did not
  # ask for. Without a route, coturn relaying to a peer's private host candidate gets ENETUNREACH
  # and drops the whole allocation, and relayed links never form.
  tb_exec inet ip route add "10.210.$k.0/24" via "$OVERLAY_LAN.$(( 100 + k ))"
  echo "$k" > "$TB_DIR/nat-$name"
}

# tb_overlay_config I: write host I's node.yaml (overlay "lab" on br-lab) and print its path.
tb_overlay_config() {
  local i=$1 dir=$TB_DIR/node$i domain=$OVERLAY_DOMAIN
  [ -f "$TB_DIR/xmpp-site-$i" ] && read -r domain _ < "$TB_DIR/xmpp-site-$i"
  mkdir -p "$dir"
  cat > "$dir/node.yaml" <<YAML
state-dir: $dir/state
status-port: 9410
xmpp:
  jid: node$i@$domain
  password: pw-node$i
  tls: disabled
YAML
  ov_xmpp_servers "$i" >> "$dir/node.yaml"
  cat "$TB_DIR/xmpp-keys" 2>/dev/null >> "$dir/node.yaml" || true
  if [ -f "$TB_DIR/turn" ]; then
    local tip tuser tpass
    read -r tip tuser tpass < "$TB_DIR/turn"
    printf 'ice:\n  stun:\n    - host: %s\n  turn:\n    - host: %s\n      username: %s\n      password: %s\n' \
      "$tip" "$tip" "$tuser" "$tpass" >> "$dir/node.yaml"
  fi
  cat >> "$dir/node.yaml" <<YAML
overlays:
  - id: lab
    bridge: br-lab
YAML
  ov_tuning lab >> "$dir/node.yaml"
  if [ "$(ov_overlays)" = 2 ]; then
    printf '  - id: lab2\n    bridge: br-lab2\n' >> "$dir/node.yaml"
    ov_tuning lab2 >> "$dir/node.yaml"
  fi
  if [ -f "$TB_DIR/collector" ]; then
    local curl interval
    read -r curl interval < "$TB_DIR/collector"
    printf 'report:\n  url: %s\n  token-file: %s\n  interval: %s\n' "$curl" "$TB_DIR/collector.token" "$interval" \
      >> "$dir/node.yaml"
  fi
  echo "$dir/node.yaml"
}

# tb_overlay_xmpp_keys KEY: VALUE...: extra keys of the xmpp section in every node config written
# from now on, one YAML line each (e.g. "presence-interval: 60s").
tb_overlay_xmpp_keys() {
  local line
  : > "$TB_DIR/xmpp-keys"
  for line in "$@"; do printf '  %s\n' "$line" >> "$TB_DIR/xmpp-keys"; done
}

# tb_overlay_tune OVERLAY KEY: VALUE...: extra keys for that overlay in every node config written
# from now on, one YAML line each (e.g. "shortcuts: 0" "on-demand: {threshold: 100000, idle: 10s}").
tb_overlay_tune() {
  local overlay=$1 line; shift
  : > "$TB_DIR/tune-$overlay"
  for line in "$@"; do printf '    %s\n' "$line" >> "$TB_DIR/tune-$overlay"; done
}
ov_tuning() { cat "$TB_DIR/tune-$1" 2>/dev/null || true; }

# tb_overlay_collector JAR [LOCAL_PORT] [INTERVAL]: the status collector in the internet namespace
# (beside Prosody, on $OVERLAY_LAN.1:$OVERLAY_COLLECTOR_PORT) with a fresh token; nodes started
# afterwards report to it every INTERVAL (default 10s). Its dashboard is forwarded to
# 127.0.0.1:LOCAL_PORT (default 9420) in the root namespace, for a browser on this host.
# Prints the dashboard's URL.
tb_overlay_collector() {
  local jar=$1 port=${2:-9420} interval=${3:-10s} addr="$OVERLAY_LAN.1:$OVERLAY_COLLECTOR_PORT" i
  local here; here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$TB_DIR/collector.token"
  chmod 600 "$TB_DIR/collector.token"
  tb_spawn collector inet java -Xms16m -Xmx128m -XX:+UseSerialGC -jar "$jar" collector --listen "$addr" \
    --token-file "$TB_DIR/collector.token" >/dev/null
  tb_spawn collector-forward - /usr/bin/python3 "$here/tools/ns-forward.py" "127.0.0.1:$port" "$(tb_nsname inet)" "$addr" >/dev/null
  echo "http://$addr $interval" > "$TB_DIR/collector"
  for i in $(seq 150); do
    curl -sf --max-time 1 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { echo "http://127.0.0.1:$port/"; return 0; }
    sleep 0.2
  done
  tb_die "collector did not answer on 127.0.0.1:$port: $(tail -5 "$TB_DIR/collector.log" "$TB_DIR/collector-forward.log" 2>/dev/null)"
}

# tb_overlay_node_start I JAR [CONFIG]: start host I's node (PID recorded as node<I>, log in
# $TB_DIR/node<I>.log) through the packaged launcher, so with the packaged JVM options and
# class-data-sharing archive (kept beside JAR, made by the first node started after the jar
# changed). $OV_JAVA_OPTS adds JVM options (e.g. Native Memory Tracking for one node). CONFIG: a
# node.yaml written beforehand by tb_overlay_config (a benchmark starting many nodes at once writes
# them all first, so the last node is not started late by the shell's own work under load).
# $OV_NODE_FILES replaces the tree's packaging/deb/files (launcher, node.jvm, node.classlist).
tb_overlay_node_start() {
  local i=$1 jar=$2 cfg=${3:-} dir files
  [ -n "$cfg" ] || cfg=$(tb_overlay_config "$i")
  dir=$(tb_ovsdir "h$i")
  files=${OV_NODE_FILES:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../packaging/deb/files" && pwd)}
  tb_spawn "node$i" "h$i" env OVS_RUNDIR="$dir" OVS_DBDIR="$dir" OVS_LOGDIR="$dir" \
    SYMPHONET_HOME="$files" SYMPHONET_JAR="$jar" SYMPHONET_CDS="${jar%.jar}-node.jsa" JAVA_OPTS="${OV_JAVA_OPTS:-}" \
    sh "$files/symphonet" node --config "$cfg"
}

# ov_bench_places N: the benchmarks' host places, one per line: a third public, the rest behind two EIM NATs.
ov_bench_places() {
  local i
  for ((i = 0; i < $1; i++)); do
    case $((i % 3)) in 0) echo pub ;; 1) echo eim:nata ;; 2) echo eim:natb ;; esac
  done
}

# tb_overlay_prepare JAR [FILES]: make the class-data-sharing archive beside JAR now (FILES: another
# packaging/deb/files directory) (the launcher makes it
# on the first node start after the jar changed, which a benchmark would time), as an install does once.
tb_overlay_prepare() {
  local files; files=${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../packaging/deb/files" && pwd)}
  SYMPHONET_HOME="$files" SYMPHONET_JAR="$1" SYMPHONET_CDS="${1%.jar}-node.jsa" sh "$files/symphonet" node --help >/dev/null 2>&1 || true
}

# ov_neigh_room N: room in the kernel's IPv4 neighbour table for N simulated hosts, until the
# benchmark ends (ov_neigh_restore puts the old limits back). The table is one for all network
# namespaces of the machine, and so are its garbage-collection limits (gc_thresh1/2/3, by default
# 128/512/1024 entries; no namespace has its own): 32 leaves asking each other alone need 992
# entries. At 32 nodes the table was full (1,024 entries, "neighbor table overflow" in dmesg, ~19k
# failed allocations in /proc/net/stat/arp_cache), and leaves whose nodes came up late could not
# make an entry for each other until older ones were collected: 160 pairs never reached in 240 s
# while the machine idled at 30% (eighth session). Each real host has a table of its own with those
# limits, so the bench scales them by N. OV_BENCH_NEIGH_ROOM=0 keeps the kernel's limits (what the
# figures before the eighth session were measured with).
ov_neigh_saved=
ov_neigh_room() {
  local n=$1 k v want
  [ "${OV_BENCH_NEIGH_ROOM:-1}" != 0 ] || return 0
  for k in 3 2 1; do
    v=$(sysctl -n "net.ipv4.neigh.default.gc_thresh$k") || return 0
    case $k in 1) want=$((128 * n)) ;; 2) want=$((512 * n)) ;; 3) want=$((1024 * n)) ;; esac
    if [ "$v" -lt "$want" ]; then
      sysctl -qw "net.ipv4.neigh.default.gc_thresh$k=$want" && ov_neigh_saved="$ov_neigh_saved $k=$v"
    fi
  done
  [ -z "$ov_neigh_saved" ] || echo "bench: kernel neighbour table limits raised for $n hosts (restored at the end):" \
    "gc_thresh1/2/3 = $(sysctl -n net.ipv4.neigh.default.gc_thresh1)/$(sysctl -n net.ipv4.neigh.default.gc_thresh2)/$(sysctl -n net.ipv4.neigh.default.gc_thresh3)" >&2
}

# ov_neigh_restore: the limits ov_neigh_room found, back (smallest first: gc_thresh1 <= 2 <= 3 throughout).
ov_neigh_restore() {
  local kv
  for kv in $(printf '%s\n' $ov_neigh_saved | sort); do
    sysctl -qw "net.ipv4.neigh.default.gc_thresh${kv%=*}=${kv#*=}" || true
  done
  ov_neigh_saved=
}

# ov_bench_setup: what every overlay benchmark does first. Sets jar: $SYMPHONET_BENCH_JAR (a copy
# lets the tree be rebuilt during a long run) or the tree's own jar, built if missing; prepares it;
# takes the testbed down however the benchmark ends.
ov_bench_setup() {
  local repo; repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  jar=${SYMPHONET_BENCH_JAR:-$repo/overlay-manager/target/symphonet.jar}
  [ -f "$jar" ] || (cd "$repo" && mvn -B -q -ntp -pl overlay-manager -am package -DskipTests)
  tb_overlay_prepare "$jar"
  trap 'ov_neigh_restore; if [ -n "${TB_DIR:-}" ]; then tb_down; fi' EXIT
  trap 'exit 130' INT TERM
}

# tb_overlay_node_stop I [SIGNAL]: stop host I's node (TERM by default; KILL for a crash).
tb_overlay_node_stop() {
  local entry
  entry=$(tb_pid_entry "node$1")
  [ -n "$entry" ] || return 0
  if [ "${2:-TERM}" = KILL ]; then
    # Only if it still is the recorded process: a node killed before may have left its PID to another.
    [[ $entry != *@* ]] || [ "$(tb_pid_start "${entry%@*}")" = "${entry#*@}" ] || return 0
    kill -9 "${entry%@*}" 2>/dev/null
  else
    tb_stop_pids "$entry"
  fi
}

# tb_overlay_ping_all N: every leaf pings every other; prints failures and "pairs=.. failed=..".
tb_overlay_ping_all() {
  local -a entries=()
  local i
  for ((i = 0; i < $1; i++)); do entries+=("lf$i=$(ov_leaf_ip $i)"); done
  tb_ping_all 2 3 "${entries[@]}"
}
