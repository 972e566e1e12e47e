# A private Prosody XMPP server inside a testbed namespace (sourced after lib/testbed.sh).
# Membership of an overlay is a shared roster group (mod_groups): every account in the group has
# a mutual subscription with every other, which is exactly what a node trusts.

# tb_prosody NS ADDR DOMAIN: configure a Prosody for namespace PREFIX-NS listening on ADDR:5222.
# Add accounts with tb_xmpp_account, then tb_prosody_start (mod_groups reads its file at start).
tb_prosody() {
  local ns=$1 addr=$2 domain=$3 dir=$TB_DIR/prosody
  mkdir -p "$dir/data"
  touch "$dir/groups.txt"
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
s2s_ports = { }
http_ports = { }
https_ports = { }
component_ports = { }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
modules_enabled = { "roster"; "saslauth"; "disco"; "ping"; "presence"; "groups" }
modules_disabled = { "s2s"; "offline" }
groups_file = "$dir/groups.txt"
VirtualHost "$domain"
LUA
  echo "$domain" > "$dir/domain"
  echo "$ns $addr" > "$dir/where"
  chown -R prosody:prosody "$dir"
}

tb_prosody_start() {
  local dir=$TB_DIR/prosody ns addr
  read -r ns addr < "$dir/where"
  tb_spawn prosody "$ns" setpriv --reuid=prosody --regid=prosody --init-groups prosody --config "$dir/prosody.cfg.lua" >/dev/null
  local i
  for i in $(seq 100); do
    tb_exec "$ns" bash -c "exec 3<>/dev/tcp/$addr/5222" 2>/dev/null && return 0
    sleep 0.1
  done
  tb_die "prosody did not listen on $addr:5222: $(tail -5 "$dir/prosody.log" 2>/dev/null)"
}

tb_prosody_stop() { tb_kill prosody; }

# tb_xmpp_account USER PASSWORD [GROUP]: register USER@domain; with GROUP, add it to that shared roster group.
tb_xmpp_account() {
  local user=$1 pass=$2 group=${3:-} dir=$TB_DIR/prosody
  local domain; domain=$(cat "$dir/domain")
  prosodyctl --config "$dir/prosody.cfg.lua" register "$user" "$domain" "$pass" >/dev/null || return 1
  if [ -n "$group" ]; then
    # mod_groups file format: [group] followed by member JIDs.
    if ! grep -qx "\[$group\]" "$dir/groups.txt"; then
      printf '[%s]\n' "$group" >> "$dir/groups.txt"
    fi
    sed -i "/^\[$group\]\$/a $user@$domain" "$dir/groups.txt"
    chown prosody:prosody "$dir/groups.txt"
  fi
}
