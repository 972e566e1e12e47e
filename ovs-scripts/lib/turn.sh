# coturn (STUN + TURN) for the testbed (sourced by testbed.sh after lib/testbed.sh).
# The server gets its own config, pid file and log under the run directory and
# is recorded like any tb_spawn process, so tb_down (or a later reap) stops it.

# tb_turn NAME IP USER PASS [PORT [OPTION=VALUE...]]: start turnserver in namespace
# PREFIX-NAME on IP:PORT (default 3478), long-term credentials USER/PASS, realm
# "symphonet", relays on IP. Extra options go into the config as they are (tests
# shorten max-allocate-lifetime, channel-lifetime, permission-lifetime with them).
tb_turn() {
  local node=$1 ip=$2 user=$3 pass=$4 port=${5:-3478}
  shift 5 2>/dev/null || shift $#
  local conf=$TB_DIR/turn-$node.conf
  cat > "$conf" <<CONF
listening-ip=$ip
relay-ip=$ip
listening-port=$port
min-port=40000
max-port=40999
lt-cred-mech
user=$user:$pass
realm=symphonet
fingerprint
no-tls
no-dtls
no-tcp-relay
no-cli
no-rfc5780
no-stun-backward-compatibility
pidfile=$TB_DIR/turn-$node.pid
log-file=$TB_DIR/turn-$node.log
simple-log
verbose
CONF
  local extra
  for extra in "$@"; do
    printf '%s\n' "$extra" >> "$conf"
  done
  tb_spawn "turn-$node" "$node" turnserver -c "$conf" >/dev/null || return 1
  local i
  for i in $(seq 50); do
    tb_exec "$node" ss -Hlun "sport = :$port" 2>/dev/null | grep -q . && return 0
    sleep 0.1
  done
  tb_die "turnserver in $node did not listen on $ip:$port"
}
