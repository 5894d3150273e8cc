#!/usr/bin/env bash
# The fan-out and echo scenarios of bench/run.sh alone (no capacity, cross-instance or start-up runs), for a quicker
# comparison after a change to the message path: realtime-gateway on JDK 17 and 25 against the Node reference, same
# pinning and load generator. Prints one JSON line per scenario and writes the medians to docs/benchmarks-fanout.md.
#
#   bench/fanout.sh        # RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=target/bench/fanout.jsonl
source bench/lib.sh
: > "$RESULTS"

for run in $(seq 1 "$RUNS"); do
  for server in $SERVERS; do
    start_server "$server"
    load "$server" echo 127.0.0.1 $PORT 50000 32
    for subs in 1000 10000; do
      load "$server" fanout 127.0.0.1 $PORT $subs 300 10
      load "$server" fanout 127.0.0.1 $PORT $subs 200 0
    done
    stop_server
  done
done
python3 bench/fanout_report.py "$RESULTS" docs/benchmarks-fanout.md "$(git rev-parse --short HEAD)"
