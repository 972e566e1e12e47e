# Federated XMPP sites for an overlay (sourced after lib/xmpp.sh and lib/overlay.sh): each site is
# a domain with its own Prosody in its own namespace on the internet LAN, and the sites' servers
# talk server to server. Nodes log in at their own site; trust stays the roster, declared by each
# site's operator in its own server's shared roster group.

# tb_overlay_federation DOMAIN:HOSTS...: after tb_overlay_xmpp_external and tb_overlay_net_places
# (which listed the accounts in $TB_DIR/xmpp-accounts), one site per argument, e.g.
# "site-a.test:0,1,2": site K (1, 2, ...) gets namespace x<K> at $OVERLAY_LAN.(K+1) with a Prosody
# for DOMAIN, and the accounts of hosts HOSTS, whose nodes log in there. Every site's group
# "overlay" lists every trusted account of every site (the cross-domain roster each operator
# writes). An untrusted account is listed by its own site only: its operator claims the overlay's
# nodes as contacts, the other sites never listed it, so the trust is one-sided and must not count.
tb_overlay_federation() {
  local spec k=0 domain hosts i user pass group addr
  local -a trusted=() own=()
  : > "$TB_DIR/xmpp-hosts"
  for spec in "$@"; do
    k=$((k + 1))
    echo "$OVERLAY_LAN.$((k + 1)) ${spec%%:*}" >> "$TB_DIR/xmpp-hosts"
  done
  chmod 644 "$TB_DIR/xmpp-hosts"
  k=0
  for spec in "$@"; do
    k=$((k + 1)) domain=${spec%%:*} hosts=${spec#*:} addr=$OVERLAY_LAN.$((k + 1))
    tb_ns "x$k" || return 1
    tb_link "x$k" eth0 inet "x$k" || return 1
    tb_exec inet ip link set "x$k" master lan || return 1
    tb_exec "x$k" ip addr add "$addr/24" dev eth0 || return 1
    # No default route on purpose: the SRV lookup Prosody tries before the hosts file then fails
    # at once (network unreachable) instead of waiting for a DNS server nobody can reach.
    tb_prosody "x$k" "$addr" "$domain" "prosody-x$k" "$TB_DIR/xmpp-hosts" || return 1
    for i in ${hosts//,/ }; do
      read -r user pass group < <(awk -v u="node$i" '$1 == u' "$TB_DIR/xmpp-accounts")
      [ -n "$user" ] || { tb_die "no account for host $i in $TB_DIR/xmpp-accounts"; return 1; }
      tb_xmpp_account "$user" "$pass" "" "prosody-x$k" || return 1
      echo "$domain $addr" > "$TB_DIR/xmpp-site-$i"
      if [ -n "$group" ]; then trusted+=("$user@$domain"); else own+=("$k $user@$domain"); fi
    done
  done
  local jid entry
  for ((k = 1; k <= $#; k++)); do
    for jid in "${trusted[@]}"; do tb_xmpp_member overlay "$jid" "prosody-x$k" || return 1; done
  done
  for entry in "${own[@]}"; do tb_xmpp_member overlay "${entry#* }" "prosody-x${entry%% *}" || return 1; done
  for ((k = 1; k <= $#; k++)); do tb_prosody_start "prosody-x$k" || return 1; done
}
