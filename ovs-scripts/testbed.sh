#!/usr/bin/env bash
# Command-line face of lib/testbed.sh, for Java tests (through Commons Exec) and for humans:
#   testbed.sh PREFIX init [OWNER_PID]       start a run (reaps stale runs first)
#   testbed.sh PREFIX <function> ARGS...     any tb_* function without its prefix, e.g.
#   testbed.sh t1 ns n1 ; testbed.sh t1 ovs_start n1 ; testbed.sh t1 exec l1 ping -c1 10.0.0.2
#   testbed.sh PREFIX down                   tear the run down
#   testbed.sh reap                          tear down every run whose owner is gone
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/testbed.sh
. "$here/lib/testbed.sh"
for lib in "$here"/lib/*.sh; do
  [ "$lib" = "$here/lib/testbed.sh" ] || . "$lib"
done

if [ "${1:-}" = reap ]; then
  tb_reap_stale
  exit 0
fi
[ $# -ge 2 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
prefix=$1 cmd=$2; shift 2
case "$cmd" in
  init) tb_init "$prefix" "${1:-$PPID}" ;;
  *)
    tb_use "$prefix" || exit 1
    declare -F "tb_$cmd" >/dev/null || { echo "testbed: unknown command '$cmd'" >&2; exit 2; }
    "tb_$cmd" "$@"
    ;;
esac
