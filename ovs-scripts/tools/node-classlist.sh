#!/usr/bin/env bash
# node-classlist.sh [JAR]: regenerate packaging/deb/files/node.classlist, the classes a node loads
# from its start until its links are up (and a status call), for the launcher's class-data-sharing
# archive. Runs 3 nodes on a small testbed (prefix "ncl"); node 0 records what it loads. Run it
# as root after changes that load many new classes at start-up (a new library), or that avoid
# loading some (JVM options, logging set-up); NCL_PREFIX moves the testbed prefix. A stale list only
# makes the archive cover less (classes missing from the jar are skipped when the archive is made).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
. ovs-scripts/lib/testbed.sh
for lib in ovs-scripts/lib/*.sh; do [ "$lib" = ovs-scripts/lib/testbed.sh ] || . "$lib"; done
jar=${1:-$repo/overlay-manager/target/symphonet.jar}
out=$repo/packaging/deb/files/node.classlist
tmp=$(mktemp -d)
tb_init "${NCL_PREFIX:-ncl}" $$
trap 'tb_down; rm -rf "$tmp"' EXIT
tb_overlay_net_places 3 1 pub eim:nata pub >/dev/null
# Without any archive (-Xshare:off wins over the launcher's), so every class is loaded and listed.
cp "$jar" "$tmp/symphonet.jar"
OV_JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$tmp/classlist" tb_overlay_node_start 0 "$tmp/symphonet.jar" >/dev/null
tb_overlay_node_start 1 "$tmp/symphonet.jar" >/dev/null
tb_overlay_node_start 2 "$tmp/symphonet.jar" >/dev/null
for _ in $(seq 120); do
  tb_exec h0 curl -s --max-time 2 http://127.0.0.1:9410/status | grep -q links-up && break
  sleep 1
done
tb_exec lf0 ping -c3 -i0.3 "$(ov_leaf_ip 1)" >/dev/null || true
sleep 8
tb_overlay_node_stop 0 TERM
# Left out: Loxi's factories of all OpenFlow 1.3 messages, OXMs, actions and instructions. The
# archive's classes are verified when it is made, and every interface one of their methods returns
# is then loaded by every node that loads the class from the archive, whether it is used or not
# (~520 interfaces: 2.5 MB of archive per node). node.jvm does not verify the jar's classes, so these
# four loaded from the jar cost only their own parsing.
exclude='^org/projectfloodlight/openflow/protocol/ver13/OF(Factory|Oxms|Actions|Instructions)Ver13( |$)'
{
  echo "# Classes a Symphonet node loads until its links are up: made by ovs-scripts/tools/node-classlist.sh."
  grep -v '^#' "$tmp/classlist" | grep -v -E "$exclude"
} > "$out"
echo "$(grep -vc '^#' "$out") classes in $out"
