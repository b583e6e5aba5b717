#!/usr/bin/env bash
# Lays the standalone out for a fast start (run by the build at `package`; target/guichet):
# - the fat jar extracted (Spring Boot's `jarmode=tools extract`): the JVM reads classes from plain
#   jars on the class path faster than from jars nested in the fat jar;
# - a class-data archive (CDS) of every class a start loads, written by the JVM at the exit of one
#   start and stop on free ports and a throw-away data directory (`--exit-when-started`).
# Measured on the 2-core build machine: fat jar 28.4 s to the summary (51 s of CPU), extracted 23.0 s
# (41 s), extracted with the archive 17.2 s (31 s). `services/standalone/run.sh` runs from here.
#
#   bash services/standalone/build-layout.sh <java> <module's target directory>
set -euo pipefail
java="$1"
target="$2"
out="$target/guichet"
training="$target/layout-training"
rm -rf "$out" "$training"
"$java" -Djarmode=tools -jar "$target/guichet-standalone.jar" extract --destination "$out"
if ! "$java" -XX:ArchiveClassesAtExit="$out/guichet.jsa" -jar "$out/guichet-standalone.jar" \
  --data-dir="$training" --kafka-port=0 --postgres-port=0 --registry-port=0 \
  --first-service-port=0 --gateway-port=0 --exit-when-started >"$training.log" 2>&1; then
  tail -40 "$training.log" >&2
  echo "the standalone did not start and stop for its class-data archive (log: $training.log)" >&2
  exit 1
fi
rm -rf "$training"
