#!/usr/bin/env bash
# bench.sh fabric: our controller with no topology file against os-ken with 802.1D STP and
# ovs-testcontroller, on the same Mininet torus (user datapath, system Open vSwitch), one run.
# Reports per controller: seconds from controller start to pingall 0% loss, frames on
# switch-to-switch links per UDP broadcast, and how many switch-to-switch links carry traffic
# during a parallel iperf3 run. Run it under `/work/tools/heavy --exclusive` on shared machines.
#   usage: bench.sh fabric [TOPO] [--only ours,stp,testcontroller]   (TOPO default torus,3,3)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
case "${1:-}" in -h|--help) sed -n 2,7p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
"$repo/ovs-scripts/install-deps.sh" bench
jar="$repo/ofcontroller/target/ofcontroller.jar"
if [ ! -f "$jar" ]; then
  (cd "$repo" && mvn -B -ntp -q -pl ofcontroller -am package -DskipTests)
fi
exec /usr/bin/python3 "$here/fabric.py" --jar "$jar" "$@"
