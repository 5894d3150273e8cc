#!/usr/bin/env bash
# Issue 27: fan-out over the HTTP fallback (Server-Sent Events) beside the same fan-out over WebSockets, one gateway
# (JDK 17, the packaged jar), one publisher on a WebSocket into one room, 10,000 subscribers at 2 msg/s: on WebSockets
# (`fanout`), then on one-room event streams (`ssefanout`, GET /sse/chat?room=). Server pinned to one core, LoadGen to
# the other, loopback; a warm-up of each first (not reported). Server CPU per delivery is of the message phase only.
#
#   RUNS=1 bench/sse-fanout.sh       # RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=target/bench/sse-fanout.jsonl
SERVERS=gateway-jdk17
source bench/lib.sh
: > "$RESULTS"

start_server gateway-jdk17
for scenario in fanout ssefanout; do # warm-up, not reported
  load gateway-jdk17 $scenario 127.0.0.1 $PORT 1000 200 100 > /dev/null
  sed -i '$d' "$RESULTS"
done
for run in $(seq 1 "$RUNS"); do
  load gateway-jdk17 fanout 127.0.0.1 $PORT 10000 40 2
  load gateway-jdk17 ssefanout 127.0.0.1 $PORT 10000 40 2
done
stop_server

python3 - "$RESULTS" <<'PYEOF'
import json, sys
print("| transport | deliveries/s | p50 ms | p99 ms | lost | server µs/delivery | server core | client core |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for line in open(sys.argv[1]):
    r = json.loads(line)
    name = "WebSocket" if r["scenario"] == "fanout" else "SSE"
    us = r["phase_server_cpu_ms"] * 1000 / max(1, r["delivered"])
    print(f"| {name} | {r['deliveries_per_s']:,.0f} | {r['p50_us'] / 1000:,.0f} | {r['p99_us'] / 1000:,.0f} | "
          f"{r['lost']} | {us:.1f} | {r['phase_server_cpu_ms'] / 10 / r['phase_s']:.0f}% | "
          f"{r['phase_client_cpu_ms'] / 10 / r['phase_s']:.0f}% |")
PYEOF
