#!/usr/bin/env bash
# The standalone at rest, measured (issue 17): time to start (to the summary), CPU doing nothing (the
# JVM by thread group, and PostgreSQL's processes) over a window taken after it settled, the JVM's
# threads, and time to stop on SIGTERM. On an empty data directory of its own, on free ports.
#
#   ./mvnw -B -q -DskipTests package
#   bash services/standalone/measure-at-rest.sh [settle seconds, 60] [window seconds, 60]
set -euo pipefail
export LC_ALL=C
settle=${1:-60}
window=${2:-60}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
# What run.sh starts: the extracted jar and its class-data archive, in place (the JVM does not use
# an archive whose jars moved). Do not build during the measurement: it replaces them.
app="$root/services/standalone/target/guichet"
log="$work/standalone.log"
hz=$(getconf CLK_TCK)
# Ports no other run is likely to hold (the services take the ports after the first one).
base=${GUICHET_MEASURE_BASE_PORT:-28080}

now() { date +%s.%N; }
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1" 2>/dev/null || echo 0; }
# "thread group<TAB>ticks<TAB>threads" of the JVM; digits in names are folded so pools group together.
threads() {
  for task in /proc/"$1"/task/*; do
    name=$(tr -d '\n' < "$task/comm" 2>/dev/null | sed 's/[0-9]\+/N/g') || continue
    printf '%s\t%s\n' "$name" "$(ticks "$task/stat")"
  done | awk -F'\t' '{ sum[$1] += $2; count[$1]++ }
    END { for (n in sum) printf "%s\t%d\t%d\n", n, sum[n], count[n] }'
}
postgres_ticks() {
  local pm total=0 p
  pm=$(head -1 "$work/data/postgres/postmaster.pid" 2>/dev/null || echo)
  [[ -z "$pm" ]] && { echo 0; return; }
  for p in "$pm" $(pgrep -P "$pm" || true); do
    total=$((total + $(ticks /proc/"$p"/stat)))
  done
  echo "$total"
}

started=$(now)
java -XX:SharedArchiveFile="$app/guichet.jsa" ${JAVA_OPTS:-} -jar "$app/guichet-standalone.jar" --data-dir="$work/data" --gateway-port="$base" --first-service-port=$((base + 2)) \
  --kafka-port=$((base - 100)) --postgres-port=$((base - 99)) --registry-port=$((base - 98)) \
  >"$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT
until grep -q "Guichet standalone is running" "$log"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the standalone stopped before it was ready; its log: $log" >&2
    exit 1
  fi
  sleep 0.2
done
ready=$(now)
sleep "$settle"

threads "$pid" | sort >"$work/threads-before"
jvm_before=$(ticks /proc/"$pid"/stat)
pg_before=$(postgres_ticks)
sleep "$window"
jvm_after=$(ticks /proc/"$pid"/stat)
pg_after=$(postgres_ticks)
threads "$pid" | sort >"$work/threads-after"
thread_count=$(ls /proc/"$pid"/task | wc -l)

stopping=$(now)
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
stopped=$(now)
trap - EXIT

percent() { awk -v t="$1" -v hz="$hz" -v w="$window" 'BEGIN { printf "%.1f", 100 * t / hz / w }'; }
echo "start (to the summary):       $(awk -v a="$started" -v b="$ready" 'BEGIN { printf "%.1f", b - a }') s"
echo "JVM CPU at rest:              $(percent $((jvm_after - jvm_before)))% of a core (over ${window} s, ${settle} s after the summary)"
echo "PostgreSQL CPU at rest:       $(percent $((pg_after - pg_before)))% of a core"
echo "JVM threads:                  $thread_count"
echo "stop (SIGTERM to exit):       $(awk -v a="$stopping" -v b="$stopped" 'BEGIN { printf "%.1f", b - a }') s"
echo "busiest thread groups at rest (% of a core; threads in the group):"
join -t $'\t' -a 2 -e 0 -o 0,1.2,2.2,2.3 "$work/threads-before" "$work/threads-after" \
  | awk -F'\t' -v hz="$hz" -v w="$window" '{ printf "%6.2f%%  %3d  %s\n", 100 * ($3 - $2) / hz / w, $4, $1 }' \
  | sort -rn | head -15
echo "largest thread groups:"
sort -t $'\t' -k3,3nr "$work/threads-after" | head -10 | awk -F'\t' '{ printf "  %3d  %s\n", $3, $1 }'
echo "(log and data in $work)"
