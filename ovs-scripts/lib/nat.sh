# NAT routers for the testbed (sourced by testbed.sh after lib/testbed.sh).
# A router is a namespace that forwards; a NAT router also masquerades what
# leaves its WAN interface, with one of two mapping behaviours:
#   eim        plain masquerade: Linux keeps the source port when it can, so one
#              inside socket gets one outside port for every destination
#              (endpoint-independent mapping; filtering is per remote endpoint)
#   symmetric  masquerade random: every new destination gets a fresh random
#              port, so a port learned through STUN is useless toward a peer
# Both drop unsolicited traffic from the WAN in a filter chain, as a home router's
# firewall does. That also keeps hole punching possible: a peer's early packet,
# dropped before conntrack confirms it, leaves no entry behind that would clash
# with (and so re-map) our own outgoing flow to that peer a moment later.
# Tables are named tbnat and live inside the namespace: nothing touches the host.

# tb_router NAME: let namespace PREFIX-NAME forward IPv4.
tb_router() {
  tb_exec "$1" sysctl -qw net.ipv4.ip_forward=1
}

# tb_nat NAME WAN_IF MODE: make NAME a NAT router masquerading out of WAN_IF (MODE eim|symmetric).
tb_nat() {
  local node=$1 wan=$2 mode=$3 flags=
  case "$mode" in
    eim) flags= ;;
    symmetric) flags=random ;;
    *) tb_die "tb_nat: mode must be eim or symmetric, not '$mode'"; return 1 ;;
  esac
  tb_router "$node" || return 1
  tb_exec "$node" nft -f - <<NFT
table ip tbnat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "$wan" masquerade $flags
  }
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "$wan" ct state new drop
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "$wan" ct state new drop
  }
}
NFT
}

# tb_route NAME VIA: default route of NAME through VIA.
tb_route() {
  tb_exec "$1" ip route replace default via "$2"
}
