#!/usr/bin/env bash
# Runs every test of Symphonet on this machine: installs missing Debian packages and Maven
# dependencies, builds all modules, runs the unit tests and the integration tests (real OVS,
# Prosody, coturn, TAP devices, network namespaces). Needs root. Idempotent; leaves nothing behind.
#
#   sudo ovs-scripts/test.sh                 everything
#   sudo ovs-scripts/test.sh -Dtest='Bound*'  extra arguments go to Maven
#
# With CI=true an integration test that cannot run fails instead of skipping.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: needs root (network namespaces, Open vSwitch, TAP devices): sudo $0 $*" >&2
  exit 1
fi

ovs-scripts/install-deps.sh base services browser
# Testbeds of runs that were killed half-way are torn down before anything starts.
ovs-scripts/testbed.sh reap

start=$(date +%s)
mvn -B -ntp -Dsurefire.printSummary=true -Dsurefire.reportFormat=plain install "$@"
echo "test.sh: all tests passed in $(( $(date +%s) - start )) s"
