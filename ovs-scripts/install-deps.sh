#!/usr/bin/env bash
# Installs the Debian packages Symphonet's scripts, tests and benchmarks need.
# Idempotent: installs only what is missing. Daemons are never started here;
# every test and script starts its own private instances.
set -euo pipefail

# Groups let a script ask only for what it uses (bench peers are heavy).
base=(openvswitch-switch iproute2 nftables iptables tcpdump ethtool iputils-ping
      procps psmisc maven openjdk-17-jdk-headless gcc libc6-dev python3 arping curl util-linux)
services=(prosody lua-unbound coturn dnsmasq-base udhcpc ejabberd iperf3 mininet)
bench=(iperf3 mininet openvswitch-testcontroller python3-os-ken tinc openvpn wireguard-go wireguard-tools)
browser=(chromium chromium-driver)

want=("${base[@]}")
for group in "$@"; do
  case "$group" in
    base) ;;
    services) want+=("${services[@]}") ;;
    bench) want+=("${bench[@]}") ;;
    browser) want+=("${browser[@]}") ;;
    all) want+=("${services[@]}" "${bench[@]}" "${browser[@]}") ;;
    *) echo "install-deps: unknown group '$group' (base, services, bench, browser, all)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages ${missing[*]}; run as root (sudo)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Installing must not start daemons on hosts that do run an init system.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
fi
trap '[ $created_policy = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
