#!/usr/bin/env bash
# Runs the benchmark comparison end to end on this machine and writes docs/benchmarks.md and docs/*.png:
# realtime-gateway on JDK 17 and on JDK 25 against the Node reference (bench/reference/node-ws), same load, same
# machine, server and load generator pinned to different cores, all traffic on loopback.
#
#   bench/run.sh            # RUNS=3 by default; RUNS=1 for a quick look
#
# Needs: a JDK 17 (default java) and optionally JDK 25 (JDK25_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64),
# node + npm, gnuplot (installed with apt-get if missing), python3 for the report.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
: > "$RESULTS"


for run in $(seq 1 "$RUNS"); do
  for server in $SERVERS; do
    # Capacity first, on a fresh server, so RSS per connection is not skewed by earlier runs.
    for n in 1000 5000 10000 19000; do
      start_server "$server"; load "$server" capacity 127.0.0.1 $PORT "$SERVER_PID" $n; stop_server
    done
    start_server "$server"
    load "$server" echo 127.0.0.1 $PORT 20000 1
    load "$server" echo 127.0.0.1 $PORT 50000 32
    for subs in 1000 10000; do
      load "$server" fanout 127.0.0.1 $PORT $subs 300 10
      load "$server" fanout 127.0.0.1 $PORT $subs 200 0
    done
    load "$server" fanout 127.0.0.1 $PORT 1000 2000 100
    stop_server
    case "$server" in gateway-jdk*) [ -n "$REDIS_URL" ] && cross "$server" ;; esac
  done
done

# Start-up: process start to ready and to the first accepted WebSocket, idle RSS; 5 runs per configuration.
STARTUP_JDKS=$JDK17_HOME; [ -x "$JDK25_HOME/bin/java" ] && STARTUP_JDKS="$JDK17_HOME $JDK25_HOME"
taskset -c $SERVER_CORE java -cp "$CP" io.realtimegateway.bench.StartupBench $STARTUP_JDKS | tee "$OUT/startup.txt"

python3 bench/report.py "$RESULTS" docs/benchmarks.md docs "$OUT/startup.txt"
echo "wrote docs/benchmarks.md"
