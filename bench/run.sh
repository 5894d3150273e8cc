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
RUNS=${RUNS:-3}
JDK17_HOME=${JDK17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=target/bench
mkdir -p "$OUT" docs
: > "$OUT/results.jsonl"

ulimit -n "$(ulimit -Hn)" || true
command -v gnuplot >/dev/null || { apt-get install -y -qq gnuplot-nox >/dev/null 2>&1 || echo "no gnuplot: charts skipped"; }

./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=$OUT/classpath -Dmdep.includeScope=test
npm ci --silent --prefix bench/reference/node-ws
CP="target/test-classes:target/classes:$(cat $OUT/classpath)"
KEY=src/test/resources/test-keys/publicKey.pem
ISSUER=https://realtime-gateway.test
PORT=19090
SERVER_CORE=1
CLIENT_CORE=0

wait_ready() { # url
  for _ in $(seq 1 300); do curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null | grep -q 200 && return 0; sleep 0.1; done
  echo "server did not become ready: $1" >&2; return 1
}

start_server() { # name -> sets SERVER_PID
  case "$1" in
    node)
      PORT=$PORT JWT_PUBLIC_KEY=$KEY JWT_ISSUER=$ISSUER ALLOWED_ORIGINS=http://localhost \
        taskset -c $SERVER_CORE node bench/reference/node-ws/server.js > "$OUT/server-$1.log" 2>&1 &
      SERVER_PID=$!; wait_ready "http://127.0.0.1:$PORT/health" ;;
    gateway-jdk*)
      local home=$JDK17_HOME; [ "$1" = gateway-jdk25 ] && home=$JDK25_HOME
      taskset -c $SERVER_CORE "$home/bin/java" -XX:+UseParallelGC -Xmx2g \
        -Dquarkus.http.port=$PORT -Dmp.jwt.verify.publickey.location=$KEY -Dmp.jwt.verify.issuer=$ISSUER \
        -Dgateway.allowed-origins=http://localhost -Dgateway.limits.max-connections-per-user=1000000 \
        -Dgateway.upgrade-rate.rate=1000000 -Dgateway.upgrade-rate.burst=1000000 \
        -Dgateway.inbound.rate=1000000 -Dgateway.inbound.burst=1000000 \
        -jar target/quarkus-app/quarkus-run.jar > "$OUT/server-$1.log" 2>&1 &
      SERVER_PID=$!; wait_ready "http://127.0.0.1:$PORT/q/health/ready" ;;
  esac
}

stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }

load() { # server scenario args...
  local server=$1; shift
  local line
  line=$(taskset -c $CLIENT_CORE java -Xmx4g -cp "$CP" io.realtimegateway.bench.LoadGen "$@" 2>>"$OUT/loadgen.log" | tail -1)
  echo "{\"server\":\"$server\",${line#\{}" | tee -a "$OUT/results.jsonl"
}

# Cross-instance: two gateway instances on the server core over Redis (the machine's on 6379, else none).
REDIS_URL=""
(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && REDIS_URL=redis://127.0.0.1:6379
cross() { # server
  local home=$JDK17_HOME; [ "$1" = gateway-jdk25 ] && home=$JDK25_HOME
  local pids=()
  for port in $PORT $((PORT + 1)); do
    taskset -c $SERVER_CORE "$home/bin/java" -XX:+UseParallelGC -Xmx1g \
      -Dquarkus.http.port=$port -Dmp.jwt.verify.publickey.location=$KEY -Dmp.jwt.verify.issuer=$ISSUER \
      -Dgateway.broker=redis -Dquarkus.redis.hosts=$REDIS_URL -Dgateway.allowed-origins=http://localhost \
      -Dgateway.limits.max-connections-per-user=1000000 -Dgateway.inbound.rate=1000000 \
      -Dgateway.inbound.burst=1000000 -jar target/quarkus-app/quarkus-run.jar > "$OUT/server-$1-cross-$port.log" 2>&1 &
    pids+=($!)
    wait_ready "http://127.0.0.1:$port/q/health/ready"
  done
  load "$1" cross 127.0.0.1 $PORT $((PORT + 1)) 10 10000 1000
  kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true
}

SERVERS="gateway-jdk17 node"
[ -x "$JDK25_HOME/bin/java" ] && SERVERS="gateway-jdk17 gateway-jdk25 node"

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

python3 bench/report.py "$OUT/results.jsonl" docs/benchmarks.md docs "$OUT/startup.txt"
echo "wrote docs/benchmarks.md"
