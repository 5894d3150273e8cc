#!/usr/bin/env bash
# Issue 17's scenarios, side by side in one run: the JVM floor (bench JvmFloor, a bare Netty broadcaster), the gateway
# on JDK 17 and the Node reference, each with one publisher into one room, 64-byte payloads, loopback, the server on
# one core and the load generator on the other:
#   10,000 subscribers at 2 msg/s (the moderate load users live at: latency first),
#   10,000 subscribers at 10 msg/s, 1,000 subscribers at 200 msg/s (saturation).
# Each server gets a warm-up first (not reported). CPU figures are of the message phase only (the connection phase's
# handshakes are apart), for the server and for the load generator; a result where the load generator used more than
# 90% of its core is marked as client-bound. The medians of RUNS (3) runs go into docs/benchmarks.md.
#
#   bench/latency.sh                 # RUNS=3
#   RUNS=1 SERVERS="jvm-floor gateway-jdk17" bench/latency.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=target/bench/latency.jsonl
SERVERS=${SERVERS:-"jvm-floor gateway-jdk17 node"}
source bench/lib.sh
: > "$RESULTS"

for run in $(seq 1 "$RUNS"); do
  for server in $SERVERS; do
    start_server "$server"
    load "$server" fanout 127.0.0.1 $PORT 1000 1000 100 > /dev/null # warm-up, not reported
    sed -i '$d' "$RESULTS"
    load "$server" fanout 127.0.0.1 $PORT 10000 40 2
    load "$server" fanout 127.0.0.1 $PORT 10000 100 10
    load "$server" fanout 127.0.0.1 $PORT 1000 2000 200
    stop_server
  done
done
python3 bench/latency_report.py "$RESULTS" docs/benchmarks.md "$(git rev-parse --short HEAD)"
