#!/usr/bin/env bash
# Symphonet benchmarks: ovs-scripts/bench.sh NAME [ARGS...] runs ovs-scripts/bench/NAME.sh.
# Each benchmark lives in its own file there (controller now; tunnel, overlay, sim to come), runs
# as root, installs what it misses (install-deps.sh bench), and removes everything it started.
# These are measurements, not tests: nothing here passes or fails on a figure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

available() {
  local f
  for f in "$here"/bench/*.sh; do
    [ -e "$f" ] || continue
    f=$(basename "$f" .sh)
    case "$f" in lib-*|_*) ;; *) printf '  %s\n' "$f" ;; esac
  done
}

usage() {
  echo "usage: $0 NAME [ARGS...]   (NAME --help for a benchmark's options)"
  echo "benchmarks:"
  available
}

name=${1:-}
case "$name" in
  ""|-h|--help|help) usage; [ -n "$name" ]; exit $? ;;
esac
shift
if [[ ! $name =~ ^[a-z][a-z0-9-]*$ ]] || [ ! -f "$here/bench/$name.sh" ]; then
  echo "bench: unknown benchmark '$name'" >&2
  usage >&2
  exit 2
fi
exec bash "$here/bench/$name.sh" "$@"
