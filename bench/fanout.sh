#!/usr/bin/env bash
# The fan-out and echo scenarios of bench/run.sh alone (no capacity, cross-instance or start-up runs), for a quicker
# comparison after a change to the message path: realtime-gateway on JDK 17 and 25 against the Node reference, same
# pinning and load generator. Prints one JSON line per scenario and a table of medians.
#
#   bench/fanout.sh        # RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=target/bench/fanout.jsonl
source bench/lib.sh
: > "$RESULTS"

SERVERS="gateway-jdk17 node"
[ -x "$JDK25_HOME/bin/java" ] && SERVERS="gateway-jdk17 gateway-jdk25 node"
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
python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def key(r):
    if r["scenario"] == "echo":
        return ("echo", r.get("in_flight", r.get("inflight", "")), "")
    return ("fanout", r["subscribers"], r["rate"] or "max")
groups = {}
for r in rows:
    groups.setdefault((key(r), r["server"]), []).append(r)
print(f"{'scenario':<28}{'server':<16}{'per s':>10}{'p50 ms':>10}{'p99 ms':>10}{'lost':>8}{'CPU us/delivery':>17}")
for (k, server), rs in sorted(groups.items(), key=lambda x: (str(x[0][0]), x[0][1])):
    rate = statistics.median(r.get("deliveries_per_s", r.get("round_trips_per_s", 0)) for r in rs)
    p50 = statistics.median(r["p50_us"] for r in rs) / 1000
    p99 = statistics.median(r["p99_us"] for r in rs) / 1000
    lost = sum(r.get("lost", 0) for r in rs)
    cpu = [r["server_cpu_ms"] * 1000 / r["delivered"] for r in rs if r.get("delivered")]
    cpu_text = f"{statistics.median(cpu):.2f}" if cpu else "-"
    print(f"{' '.join(map(str, k)):<28}{server:<16}{rate:>10.0f}{p50:>10.1f}{p99:>10.1f}{lost:>8}{cpu_text:>17}")
PY
