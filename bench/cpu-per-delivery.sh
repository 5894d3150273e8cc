#!/usr/bin/env bash
# Server CPU time per delivered message, realtime-gateway (JDK 17 and 25) against the Node reference, with the same
# fan-out load: one publisher, 1,000 subscribers, 2,000 messages at 100/s (200,000 deliveries). On this 2-core machine
# the load generator's core saturates before the server's does at high fan-out, so deliveries per second measure the
# client as much as the server; CPU time per delivery measures the server alone. Prints one line per server and run.
#
#   bench/cpu-per-delivery.sh      # RUNS=3 by default
#
# PAYLOADS chooses what each message carries (default "small", {"t":N}): "text-1024" is JSON data of about 1,024
# bytes, "binary-1024" a binary frame of 1,024 payload bytes (the gateway's binary publish; only the gateway speaks
# it, so binary payloads run against gateway servers only). Binary beside text, on the gateway only:
#
#   SERVERS=gateway-jdk17 PAYLOADS="text-1024 binary-1024" bench/cpu-per-delivery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=target/bench/cpu-per-delivery.jsonl
source bench/lib.sh
: > "$RESULTS"

PAYLOADS=${PAYLOADS:-small}
for run in $(seq 1 "$RUNS"); do
  for payload in $PAYLOADS; do
    kind=${payload%%-*}
    args=(); [ "$kind" = small ] || args=("$kind" "${payload#*-}")
    for server in $SERVERS; do
      [ "$kind" = binary ] && [[ "$server" != gateway-* ]] && continue
      start_server "$server"
      check_started "$server"
      load "$server" fanout 127.0.0.1 $PORT 1000 500 100 "${args[@]}" > /dev/null # warm-up, not reported
      sed -i '$d' "$RESULTS"
      load "$server" fanout 127.0.0.1 $PORT 1000 2000 100 "${args[@]}" > /dev/null
      stop_server
    done
  done
done
python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def label(r):
    kind = r.get("payload", "small")
    return r["server"] if kind == "small" else f'{r["server"]} {kind} {r["payload_bytes"]} B'
for name in dict.fromkeys(label(r) for r in rows):
    runs = [r for r in rows if label(r) == name and r["delivered"]]
    per = [r["server_cpu_ms"] * 1000 / r["delivered"] for r in runs]
    lost = sum(r["lost"] for r in runs)
    print(f"{name}: {statistics.median(per):.2f} us server CPU per delivery "
          f"(runs: {', '.join(f'{p:.2f}' for p in per)}; lost {lost})")
PY
