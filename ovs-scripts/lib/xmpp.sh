# A private Prosody XMPP server inside a testbed namespace (sourced after lib/testbed.sh).
# Membership of an overlay is a shared roster group (mod_groups): every account in the group has
# a mutual subscription with every other, which is exactly what a node trusts.

# tb_prosody NS ADDR DOMAIN [INSTANCE [HOSTS_FILE]]: configure a Prosody for namespace PREFIX-NS
# listening on ADDR:5222, its files under $TB_DIR/INSTANCE (default "prosody"; one instance per
# XMPP site of a run). Add accounts with tb_xmpp_account, then tb_prosody_start (mod_groups reads
# its file at start). With HOSTS_FILE the server also talks server to server (s2s on ADDR:5269,
# dialback, no TLS: a test loopback has no certificates) and resolves the other sites' domains
# through that hosts file: Prosody's own resolver reads no hosts file, libunbound (lua-unbound)
# does when told which one, so no DNS server and nothing in the host's /etc is needed.
tb_prosody() {
  local ns=$1 addr=$2 domain=$3 instance=${4:-prosody} hosts=${5:-} dir
  dir=$TB_DIR/$instance
  mkdir -p "$dir/data"
  touch "$dir/groups.txt"
  local s2s_ports="" disabled='"s2s"; ' extra="" s2s_lines=""
  if [ -n "$hosts" ]; then
    s2s_ports=5269 disabled="" extra='; "dialback"'
    s2s_lines="s2s_require_encryption = false
s2s_secure_auth = false
unbound = { hoststxt = \"$hosts\" }"
  fi
  cat > "$dir/prosody.cfg.lua" <<LUA
pidfile = "$dir/prosody.pid"
data_path = "$dir/data"
log = { info = "$dir/prosody.log" }
daemonize = false
interfaces = { "$addr" }
local_interfaces = { "$addr" }
c2s_ports = { 5222 }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
s2s_ports = { $s2s_ports }
http_ports = { }
https_ports = { }
component_ports = { }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
$s2s_lines
authentication = "internal_hashed"
modules_enabled = { "roster"; "saslauth"; "disco"; "ping"; "presence"; "groups"$extra }
modules_disabled = { $disabled"offline" }
groups_file = "$dir/groups.txt"
VirtualHost "$domain"
LUA
  echo "$domain" > "$dir/domain"
  echo "$ns $addr" > "$dir/where"
  chown -R prosody:prosody "$dir"
}

# tb_prosody_start [INSTANCE]: start it and wait until it listens for clients.
tb_prosody_start() {
  local instance=${1:-prosody} dir ns addr
  dir=$TB_DIR/$instance
  read -r ns addr < "$dir/where"
  tb_spawn "$instance" "$ns" setpriv --reuid=prosody --regid=prosody --init-groups prosody --config "$dir/prosody.cfg.lua" >/dev/null
  local i
  for i in $(seq 100); do
    tb_exec "$ns" bash -c "exec 3<>/dev/tcp/$addr/5222" 2>/dev/null && return 0
    sleep 0.1
  done
  tb_die "prosody did not listen on $addr:5222: $(tail -5 "$dir/prosody.log" 2>/dev/null)"
}

tb_prosody_stop() { tb_kill "${1:-prosody}"; }

# tb_xmpp_account USER PASSWORD [GROUP [INSTANCE]]: register USER@domain; with GROUP, add it to that
# shared roster group.
tb_xmpp_account() {
  local user=$1 pass=$2 group=${3:-} instance=${4:-prosody} dir domain
  dir=$TB_DIR/$instance
  domain=$(cat "$dir/domain")
  prosodyctl --config "$dir/prosody.cfg.lua" register "$user" "$domain" "$pass" >/dev/null || return 1
  if [ -n "$group" ]; then
    tb_xmpp_member "$group" "$user@$domain" "$instance"
  fi
}

# tb_xmpp_member GROUP JID [INSTANCE]: list JID (of this server's domain or another's) in a shared
# roster group. A foreign JID in the group is how a site declares another site's nodes its contacts.
tb_xmpp_member() {
  local group=$1 jid=$2 dir=$TB_DIR/${3:-prosody}
  # mod_groups file format: [group] followed by member JIDs.
  if ! grep -qx "\[$group\]" "$dir/groups.txt"; then
    printf '[%s]\n' "$group" >> "$dir/groups.txt"
  fi
  sed -i "/^\[$group\]\$/a $jid" "$dir/groups.txt"
  chown prosody:prosody "$dir/groups.txt"
}
