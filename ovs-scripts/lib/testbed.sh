# Symphonet testbed: hosts made of network namespaces, each with a private Open vSwitch.
# Source this file; every function works on the run named by TB_PREFIX (set by tb_init).
#
# Everything a run creates is written down under $TB_ROOT/$TB_PREFIX (namespaces, PIDs, OVS
# run directories) together with the PID of the process that owns the run. tb_init reaps runs
# whose owner is dead, so a run killed half-way is cleaned up by the next one, and parallel runs
# with other prefixes are never touched. Names: namespaces are "$TB_PREFIX-<name>"; interfaces
# live inside namespaces, so they only have to be unique there.

TB_ROOT=${TB_ROOT:-/run/symphonet-tb}
OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

tb_die() { echo "testbed: $*" >&2; return 1; }

# tb_init PREFIX [OWNER_PID]: start (or join) run PREFIX, owned by OWNER_PID (default: the caller's parent shell).
tb_init() {
  local prefix=$1 owner=${2:-$PPID}
  [[ $prefix =~ ^[a-z][a-z0-9]{0,7}$ ]] || { tb_die "prefix '$prefix' must be 1-8 lowercase letters/digits, starting with a letter"; return 1; }
  [ "$(id -u)" -eq 0 ] || { tb_die "must run as root (namespaces, OVS)"; return 1; }
  TB_PREFIX=$prefix
  TB_DIR=$TB_ROOT/$prefix
  tb_reap_stale
  mkdir -p "$TB_DIR"
  touch "$TB_DIR/namespaces" "$TB_DIR/pids"
  echo "$owner" > "$TB_DIR/owner"
}

# tb_use PREFIX: act on an existing run without taking ownership (for one-shot CLI calls).
tb_use() {
  TB_PREFIX=$1
  TB_DIR=$TB_ROOT/$1
  [ -d "$TB_DIR" ] || { tb_die "no run named '$1' (run 'init' first)"; return 1; }
}

# Tear down every run whose owner process is gone.
tb_reap_stale() {
  local d owner
  for d in "$TB_ROOT"/*/; do
    [ -d "$d" ] || continue
    owner=$(cat "$d/owner" 2>/dev/null || echo 0)
    if [ "$owner" = 0 ] || ! kill -0 "$owner" 2>/dev/null; then
      echo "testbed: reaping stale run $(basename "$d") (owner $owner gone)" >&2
      (TB_PREFIX=$(basename "$d"); TB_DIR=${d%/}; tb_down)
    fi
  done
}

tb_nsname() { echo "$TB_PREFIX-$1"; }

# tb_ns NAME: create namespace PREFIX-NAME with loopback up and IPv6 off (no stray multicast).
tb_ns() {
  local ns; ns=$(tb_nsname "$1")
  ip netns add "$ns" || return 1
  echo "$ns" >> "$TB_DIR/namespaces"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# tb_exec NAME CMD...: run a command inside namespace PREFIX-NAME.
tb_exec() {
  local ns; ns=$(tb_nsname "$1"); shift
  ip netns exec "$ns" "$@"
}

# tb_link NS_A IF_A NS_B IF_B [MTU]: a veth pair between two namespaces, up, offloads off.
# Offloads must be off: OVS's userspace datapath forwards partial checksums as they are.
tb_link() {
  local a=$1 ia=$2 b=$3 ib=$4 mtu=${5:-1500}
  ip link add "$ia" netns "$(tb_nsname "$a")" mtu "$mtu" type veth peer name "$ib" netns "$(tb_nsname "$b")" mtu "$mtu" || return 1
  local side
  for side in "$a $ia" "$b $ib"; do
    set -- $side
    tb_exec "$1" ip link set "$2" up
    tb_exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
  done
}

# tb_unlink NS IF: delete a veth pair from one end.
tb_unlink() { tb_exec "$1" ip link del "$2"; }

tb_ovsdir() { echo "$TB_DIR/ovs-$1"; }

# tb_ovs NAME CMD...: run an OVS tool (ovs-vsctl, ovs-ofctl, ovs-appctl) against NAME's private OVS.
tb_ovs() {
  local node=$1; shift
  local dir; dir=$(tb_ovsdir "$node")
  OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir \
    ip netns exec "$(tb_nsname "$node")" "$@"
}

# Niceness of the private OVS daemons: -10, as Debian's openvswitch-switch service starts them
# (ovs-ctl's --ovsdb-server-priority / --ovs-vswitchd-priority defaults); TB_OVS_NICE=0 runs them
# as before. ovs-vswitchd's main thread reads a netdev bridge's leaf ports through packet sockets
# of 212 KB (rmem_default: about 90 full frames, 50 ms of a 20 Mbit/s stream, or one 128-KB write
# of iperf3 -b). In the on-demand test, at nice 0 among nine node JVMs on two cores, host a's
# ovs-vswitchd waited 6.7-7.5 s of the 30-s transfer on the run queue (single waits up to 104 ms),
# its socket on the sender's leaf port dropped 7-41 frames a run and those were the lost pings (each
# seen leaving the leaf and never reaching the far one). At -10: 1.5 s, at most 27 ms, 2 drops.
TB_OVS_NICE=${TB_OVS_NICE:--10}

# tb_ovs_nice PID: gives a detached OVS daemon TB_OVS_NICE. With kernel.sched_autogroup_enabled
# (Debian's default) each session is one scheduling group and a task's own niceness only ranks it
# inside its group; --detach makes every daemon a session of its own, so the group's niceness is
# what ranks it against the nodes' JVMs (each of them a session too). Setting the task's niceness
# alone (nice -n) changed nothing measurable (7.5 s waited).
tb_ovs_nice() {
  [ -w "/proc/$1/autogroup" ] && echo "$TB_OVS_NICE" > "/proc/$1/autogroup" 2>/dev/null
  return 0
}

# tb_ovs_start NAME: a private ovsdb-server + ovs-vswitchd inside namespace PREFIX-NAME.
tb_ovs_start() {
  local node=$1 dir; dir=$(tb_ovsdir "$node")
  mkdir -p "$dir"
  [ -f "$dir/conf.db" ] || ovsdb-tool create "$dir/conf.db" "$OVS_SCHEMA" || return 1
  tb_ovs "$node" nice -n "$TB_OVS_NICE" ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" \
    --pidfile="$dir/ovsdb-server.pid" --unixctl="$dir/ovsdb-server.ctl" \
    --log-file="$dir/ovsdb-server.log" --detach 2>>"$dir/start.err" || return 1
  tb_record "$(cat "$dir/ovsdb-server.pid")" ovsdb-server "$node"
  tb_ovs_nice "$(cat "$dir/ovsdb-server.pid")"
  tb_ovs "$node" ovs-vsctl --db="unix:$dir/db.sock" --no-wait init || return 1
  tb_vswitchd_start "$node"
}

# tb_vswitchd_start NAME: (re)start only ovs-vswitchd, e.g. after tb_vswitchd_kill.
tb_vswitchd_start() {
  local node=$1 dir; dir=$(tb_ovsdir "$node")
  tb_ovs "$node" nice -n "$TB_OVS_NICE" ovs-vswitchd "unix:$dir/db.sock" --pidfile="$dir/ovs-vswitchd.pid" \
    --unixctl="$dir/ovs-vswitchd.ctl" --log-file="$dir/ovs-vswitchd.log" --detach 2>>"$dir/start.err" || return 1
  tb_record "$(cat "$dir/ovs-vswitchd.pid")" ovs-vswitchd "$node"
  tb_ovs_nice "$(cat "$dir/ovs-vswitchd.pid")"
}

# tb_vswitchd_kill NAME: SIGKILL the node's ovs-vswitchd (a crash, for resync tests).
tb_vswitchd_kill() {
  local dir; dir=$(tb_ovsdir "$1")
  local pid; pid=$(cat "$dir/ovs-vswitchd.pid" 2>/dev/null) || return 1
  kill -9 "$pid" 2>/dev/null
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$dir/ovs-vswitchd.pid"
}

# tb_bridge NAME BRIDGE DPID CONTROLLER: a netdev bridge in secure fail-mode owned by CONTROLLER
# (e.g. unix:/path.sock or tcp:127.0.0.1:6653). DPID is 16 hex digits.
tb_bridge() {
  local node=$1 br=$2 dpid=$3 ctl=$4
  # OVS only dials unix sockets inside its own run directory; a link there reaches a controller
  # socket anywhere on the host (and so from every namespace).
  if [[ $ctl == unix:* ]]; then
    local dir; dir=$(tb_ovsdir "$node")
    if [[ ${ctl#unix:} != "$dir"/* ]]; then
      ln -sfn "${ctl#unix:}" "$dir/controller-$br.sock"
      ctl="unix:$dir/controller-$br.sock"
    fi
  fi
  tb_ovs "$node" ovs-vsctl --db="unix:$(tb_ovsdir "$node")/db.sock" -- --may-exist add-br "$br" \
    -- set bridge "$br" datapath_type=netdev protocols=OpenFlow13 fail-mode=secure \
       other-config:datapath-id="$dpid" \
    -- set-controller "$br" "$ctl" \
    -- set controller "$br" connection-mode=out-of-band
}

# tb_port NAME BRIDGE IF: attach an interface of the node's namespace to its bridge.
tb_port() {
  tb_ovs "$1" ovs-vsctl --db="unix:$(tb_ovsdir "$1")/db.sock" --may-exist add-port "$2" "$3"
}

# tb_vsctl NAME ARGS...: ovs-vsctl against the node's database.
tb_vsctl() {
  local node=$1; shift
  tb_ovs "$node" ovs-vsctl --db="unix:$(tb_ovsdir "$node")/db.sock" "$@"
}

# tb_ofctl NAME BRIDGE ARGS...: ovs-ofctl (OpenFlow 1.3) on the bridge's management socket,
# e.g. tb_ofctl n1 br0 dump-flows. Read-only use: the controller owns the flows.
tb_ofctl() {
  local node=$1 br=$2 cmd=$3; shift 3
  tb_ovs "$node" ovs-ofctl -O OpenFlow13 "$cmd" "unix:$(tb_ovsdir "$node")/$br.mgmt" "$@"
}

# Receive buffer, in bytes, of the packet socket through which a node's ovs-vswitchd reads a leaf
# port (0: the kernel's rmem_default, 212 KB). Why: the userspace datapath reads such ports in
# ovs-vswitchd's main thread, which also applies every port change; when the overlay adds a
# link's tunnel port it stops reading for up to ~100 ms on this 2-core machine, and 212 KB is
# 85 ms of a 20 Mbit/s stream: the on-demand test lost a ping to that socket's overflow (the kernel
# counted it there) 0.2 s after the new link took the flow. OVS sets no SO_RCVBUF of its own, so
# the socket gets rmem_default as it is when OVS opens the port: raised for that moment only.
# A host's kernel datapath has no such socket; README "Deploying" says what a netdev-datapath host
# should set.
TB_LEAF_RCVBUF=${TB_LEAF_RCVBUF:-4194304}

# tb_leaf NODE LEAF BRIDGE CIDR [MAC]: a leaf namespace PREFIX-LEAF whose eth0 is a port of NODE's bridge.
tb_leaf() {
  local node=$1 leaf=$2 br=$3 cidr=$4 mac=${5:-}
  tb_ns "$leaf" || return 1
  tb_link "$leaf" eth0 "$node" "$leaf" || return 1
  [ -n "$mac" ] && tb_exec "$leaf" ip link set eth0 address "$mac"
  tb_exec "$leaf" ip addr add "$cidr" dev eth0
  tb_port_rcvbuf "$TB_LEAF_RCVBUF" "$node" "$br" "$leaf"
}

# tb_port_rcvbuf BYTES NODE BRIDGE IF: tb_port with rmem_default at BYTES (0: as it is) while OVS
# opens the port's socket. Host-wide, so one run at a time (a lock) and put back at once: sockets
# opened meanwhile elsewhere get the larger buffer too, which costs nothing until it fills.
tb_port_rcvbuf() {
  local bytes=$1; shift
  local was; was=$(cat /proc/sys/net/core/rmem_default 2>/dev/null || echo 0)
  if [ "$bytes" -le "$was" ] 2>/dev/null || [ "$bytes" = 0 ]; then
    tb_port "$@"
    return
  fi
  (
    flock 9
    was=$(cat /proc/sys/net/core/rmem_default)
    echo "$bytes" > /proc/sys/net/core/rmem_default || { tb_port "$@"; exit; }
    tb_port "$@"; rc=$?
    echo "$was" > /proc/sys/net/core/rmem_default
    exit $rc
  ) 9> "$TB_ROOT/.rmem_default.lock"
}

# tb_spawn NAME NS CMD...: start CMD in the background inside namespace PREFIX-NS (or "-" for the
# root namespace), record its PID under NAME, output appended to $TB_DIR/NAME.log (a restarted
# process keeps its earlier run's log, which is what explains a crash). Prints the PID.
tb_spawn() {
  local name=$1 ns=$2; shift 2
  if [ "$ns" = - ]; then
    setsid "$@" >> "$TB_DIR/$name.log" 2>&1 < /dev/null &
  else
    setsid ip netns exec "$(tb_nsname "$ns")" "$@" >> "$TB_DIR/$name.log" 2>&1 < /dev/null &
  fi
  local pid=$!
  tb_record "$pid" "$name" "$ns"
  echo "$pid"
}

# tb_pid_start PID: the process's start time (clock ticks after boot); empty when there is none.
# PID and start time name one process for good: PIDs wrap at 32768 on these machines, so a recorded
# process that died during the run (a killed node) may by teardown be someone else's PID.
tb_pid_start() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  s=${s##*) } # the command name may hold spaces and parentheses; the fields after it do not
  set -- $s
  echo "${20}"
}

# tb_record PID NAME NS: write a started process down as "PID NAME NS @START" for tb_down.
tb_record() { echo "$1 $2 $3 @$(tb_pid_start "$1")" >> "$TB_DIR/pids"; }

# tb_pid_entry NAME: "PID@START" of the last process recorded under NAME (empty when none), for
# tb_stop_pids; lines written without a start time give the bare PID.
tb_pid_entry() { awk -v n="$1" '$2 == n { p = $1 $4 } END { print p }' "$TB_DIR/pids"; }

# tb_kill NAME: stop a process started by tb_spawn (TERM, then KILL after 3 s).
tb_kill() {
  local entry
  entry=$(tb_pid_entry "$1")
  [ -n "$entry" ] || return 0
  tb_stop_pids "$entry"
}

tb_stop_pid() { tb_stop_pids "$1"; }

# tb_ping_all WAIT RETRIES LEAF=IP ...: every LEAF namespace pings the IP of every other entry, one
# pinger per source in parallel; a pair fails only after a first ping and RETRIES more. Prints one
# "FAIL src -> ip" line per failed pair, then "pairs=N failed=M"; status 0 only when none failed.
tb_ping_all() {
  local wait=$1 retries=$2 e d s ip; shift 2
  local -a entries=("$@") pids=()
  local out; out=$(mktemp)
  for e in "${entries[@]}"; do
    s=${e%%=*}
    (
      for d in "${entries[@]}"; do
        ip=${d#*=}
        [ "$d" = "$e" ] && continue
        tb_exec "$s" ping -c1 -W"$wait" -q "$ip" >/dev/null 2>&1 \
          || { [ "$retries" -gt 0 ] && tb_exec "$s" ping -c"$retries" -i0.3 -W"$wait" -q "$ip" >/dev/null 2>&1; } \
          || echo "FAIL $s -> $ip"
      done
    ) >> "$out" &
    pids+=($!)
  done
  # Only our pingers: the caller may have other children (nodes, a controller) in the background.
  wait "${pids[@]}"
  local failed; failed=$(grep -c FAIL "$out" || true)
  grep FAIL "$out" || true
  rm -f "$out"
  echo "pairs=$(( ${#entries[@]} * (${#entries[@]} - 1) )) failed=$failed"
  [ "$failed" -eq 0 ]
}

# tb_down: stop every recorded process, delete every recorded namespace (their veths go with them),
# remove the run's directory. Safe to call twice and on half-made runs.
# All processes are stopped together (tb_stop_pids): one after the other, each one's grace added up
# to a minute for a 16-host run. Namespaces go only after every process is gone, and the run's
# directory last, so a teardown cut short is finished by the next tb_down or reap.
tb_down() {
  [ -n "${TB_DIR:-}" ] && [ -d "$TB_DIR" ] || return 0
  local pid name where start ns
  local -a pids=() strays=()
  if [ -f "$TB_DIR/pids" ]; then
    while read -r pid name where start; do
      [[ $pid =~ ^[0-9]+$ ]] && pids+=("$pid$start")
    done < "$TB_DIR/pids"
  fi
  tb_stop_pids "${pids[@]}" || true # a survivor is reported; the namespaces still go
  # Whatever still runs inside the run's namespaces was started there without being recorded
  # (a command a test ran by hand): it would keep a deleted namespace alive.
  if [ -f "$TB_DIR/namespaces" ]; then
    while read -r ns; do
      [ -n "$ns" ] && strays+=($(ip netns pids "$ns" 2>/dev/null))
    done < "$TB_DIR/namespaces"
  fi
  [ ${#strays[@]} -eq 0 ] || tb_stop_pids "${strays[@]}" || true
  if [ -f "$TB_DIR/namespaces" ]; then
    while read -r ns; do
      [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
    done < "$TB_DIR/namespaces"
  fi
  rm -rf "$TB_DIR"
}

# tb_stop_pids PID[@START]...: TERM them all, wait for all together (3 s), KILL the rest, wait again
# (3 s). A PID that is gone, or whose start time is not START (no longer the process recorded), is
# left alone. Status 1 when one survives SIGKILL.
tb_stop_pids() {
  local e pid i
  local -a live=() left
  for e in "$@"; do
    pid=${e%@*}
    if [[ $e == *@* ]] && [ "$(tb_pid_start "$pid")" != "${e#*@}" ]; then
      continue
    fi
    kill "$pid" 2>/dev/null && live+=("$pid")
  done
  for i in $(seq 60); do
    left=()
    for pid in "${live[@]}"; do
      kill -0 "$pid" 2>/dev/null && left+=("$pid")
    done
    live=("${left[@]}")
    [ ${#live[@]} -eq 0 ] && return 0
    # Half-way: whatever did not go on TERM gets KILL (it may exit on its own meanwhile: not an error).
    [ "$i" -ne 30 ] || kill -9 "${live[@]}" 2>/dev/null || true
    sleep 0.1
  done
  echo "processes ${live[*]} survived SIGKILL" >&2
  return 1
}
