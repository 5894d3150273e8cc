#!/usr/bin/env bash
# Server CPU time per delivered message, realtime-gateway (JDK 17 and 25) against the Node reference, with the same
# fan-out load: one publisher, 1,000 subscribers, 2,000 messages at 100/s (200,000 deliveries). On this 2-core machine
# the load generator's core saturates before the server's does at high fan-out, so deliveries per second measure the
# client as much as the server; CPU time per delivery measures the server alone. Prints one line per server and run.
#
#   bench/cpu-per-delivery.sh      # RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=target/bench/cpu-per-delivery.jsonl
source bench/lib.sh
: > "$RESULTS"

for run in $(seq 1 "$RUNS"); do
  for server in $SERVERS; do
    start_server "$server"
    load "$server" fanout 127.0.0.1 $PORT 1000 500 100 > /dev/null # warm-up, not reported
    sed -i '$d' "$RESULTS"
    load "$server" fanout 127.0.0.1 $PORT 1000 2000 100 > /dev/null
    stop_server
  done
done
python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for server in dict.fromkeys(r["server"] for r in rows):
    per = [r["server_cpu_ms"] * 1000 / r["delivered"] for r in rows if r["server"] == server and r["delivered"]]
    print(f"{server}: {statistics.median(per):.2f} us server CPU per delivery "
          f"(runs: {', '.join(f'{p:.2f}' for p in per)})")
PY
