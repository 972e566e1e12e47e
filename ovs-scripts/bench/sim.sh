#!/usr/bin/env bash
# bench.sh sim: the discrete-event simulator (simulator/) over n = 100 .. 100,000 nodes with
# k = 1, 4 and floor(log2 n) shortcuts. Every run drives the node's real classes (Symphony link
# choice, planner, admission, flood engine, MAC table) over simulated links; see simulator/RESULTS.md
# for what each column means. Needs only a JDK and Maven: no OVS, no namespaces, no root.
#
# Writes the table and the plot (simulator/RESULTS.md, simulator/hops-vs-n.png) and prints the
# table as each row finishes. Deterministic for a seed; wall time and heap depend on the host.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
JAR=${SIM_JAR:-$REPO/simulator/target/simulator.jar}
HEAP=${SIM_HEAP:-6g}
NS=100,1000,10000,100000
KS=1,4,auto
CHURN=0.01
SEED=1
QUICK=0
EXTRA=()

usage() {
  cat <<USAGE
usage: bench.sh sim [options] [-- simulator options]
  --ns LIST      values of n, comma-separated (default $NS)
  --ks LIST      values of k; auto is floor(log2 n) (default $KS)
  --churn F      fraction of n that crash (and as many that join) in the churn phase (default $CHURN)
  --seed N       random seed; a seed fixes every simulated figure (default $SEED)
  --quick        n = 100,1000 only, for a smoke check
  --single ...   one run instead of the sweep: everything after it goes to the simulator as is,
                 e.g. bench.sh sim --single --n 1000 --s 2 --k 4 --churn 0.01 --latency uniform:5:50
Other simulator options after --, e.g. -- --s 3 --loss 0.001 --latency exp:5:40 (java -jar $JAR --help).
Environment: SIM_HEAP (JVM heap, default $HEAP), SIM_JAR (default simulator/target/simulator.jar).
Results: simulator/RESULTS.md and simulator/hops-vs-n.png.
USAGE
}

SINGLE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ns) NS=$2; shift 2 ;;
    --ks) KS=$2; shift 2 ;;
    --churn) CHURN=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --single) SINGLE=1; shift; EXTRA=("$@"); break ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "sim: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ "$QUICK" = 1 ] && NS=100,1000

if [ ! -f "$JAR" ]; then
  echo "sim: building the simulator (and the node modules it runs)" >&2
  (cd "$REPO" && mvn -q -B -pl simulator -am install -DskipTests)
fi

cd "$REPO"
# One thread by design (determinism); a fixed heap keeps GC from dominating at 100,000 nodes.
JVM=(-Xms1g "-Xmx$HEAP" -XX:+UseParallelGC -Djava.awt.headless=true)
if [ "$SINGLE" = 1 ]; then
  exec java "${JVM[@]}" -jar "$JAR" "${EXTRA[@]}"
fi
start=$(date +%s)
java "${JVM[@]}" -jar "$JAR" --sweep --ns "$NS" --ks "$KS" --churn "$CHURN" --seed "$SEED" \
  --results simulator/RESULTS.md --plot simulator/hops-vs-n.png "${EXTRA[@]}"
echo "sim: sweep took $(( $(date +%s) - start )) s of wall time"
