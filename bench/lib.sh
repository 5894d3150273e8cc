#!/usr/bin/env bash
# Shared by bench/run.sh, fanout.sh, cpu-per-delivery.sh and profile.sh: settings, building, starting and stopping the servers under
# test, and running one LoadGen scenario against them. Source it from the repository root.
RUNS=${RUNS:-3}
JDK17_HOME=${JDK17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# The servers compared (SERVERS to choose): the JVM floor (a bare Netty broadcaster, JvmFloor), the gateway on JDK 17,
# on JDK 25 where installed, and the Node reference.
if [ -z "${SERVERS:-}" ]; then
  SERVERS="jvm-floor gateway-jdk17 node"
  [ -x "$JDK25_HOME/bin/java" ] && SERVERS="jvm-floor gateway-jdk17 gateway-jdk25 node"
fi
OUT=target/bench
mkdir -p "$OUT" docs
RESULTS=${RESULTS:-$OUT/results.jsonl}

ulimit -n "$(ulimit -Hn)" || true
command -v gnuplot >/dev/null || { apt-get install -y -qq gnuplot-nox >/dev/null 2>&1 || echo "no gnuplot: charts skipped"; }

./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=$OUT/classpath -Dmdep.includeScope=test
npm ci --silent --prefix bench/reference/node-ws
CP="target/test-classes:target/classes:$(cat $OUT/classpath)"
KEY=src/test/resources/test-keys/publicKey.pem
ISSUER=https://realtime-gateway.test
# PORT (or BENCH_PORT) moves the servers (and PORT + 1, PORT + 1000) off the default, where another benchmark may run.
PORT=${BENCH_PORT:-${PORT:-19090}}
SERVER_CORE=1
CLIENT_CORE=0
# The gateway's heap settings in every scenario but cross-instance.
GATEWAY_HEAP_OPTS=${GATEWAY_HEAP_OPTS:-"-XX:+UseParallelGC -Xmx2g"}

wait_ready() { # url
  for _ in $(seq 1 300); do curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null | grep -q 200 && return 0; sleep 0.1; done
  echo "server did not become ready: $1" >&2; return 1
}

start_server() { # name -> sets SERVER_PID
  case "$1" in
    jvm-floor)
      taskset -c $SERVER_CORE "$JDK17_HOME/bin/java" $GATEWAY_HEAP_OPTS -cp "$CP" io.realtimegateway.bench.JvmFloor $PORT \
        > "$OUT/server-$1.log" 2>&1 &
      SERVER_PID=$!; wait_ready "http://127.0.0.1:$PORT/health" ;;
    node)
      PORT=$PORT JWT_PUBLIC_KEY=$KEY JWT_ISSUER=$ISSUER ALLOWED_ORIGINS=http://localhost \
        taskset -c $SERVER_CORE node bench/reference/node-ws/server.js > "$OUT/server-$1.log" 2>&1 &
      SERVER_PID=$!; wait_ready "http://127.0.0.1:$PORT/health" ;;
    gateway-jdk*)
      local home=$JDK17_HOME; [ "$1" = gateway-jdk25 ] && home=$JDK25_HOME
      taskset -c $SERVER_CORE "$home/bin/java" $GATEWAY_HEAP_OPTS ${SERVER_JAVA_OPTS:-} \
        -Dquarkus.http.port=$PORT -Dquarkus.management.port=$((PORT + 1000)) \
        -Dmp.jwt.verify.publickey.location=$KEY -Dmp.jwt.verify.issuer=$ISSUER \
        -Dgateway.allowed-origins=http://localhost -Dgateway.limits.max-connections-per-user=1000000 \
        -Dgateway.upgrade-rate.rate=1000000 -Dgateway.upgrade-rate.burst=1000000 \
        -Dgateway.inbound.rate=1000000 -Dgateway.inbound.burst=1000000 \
        -jar target/quarkus-app/quarkus-run.jar > "$OUT/server-$1.log" 2>&1 &
      SERVER_PID=$!; wait_ready "http://127.0.0.1:$((PORT + 1000))/q/health/ready" ;;
  esac
}

# A server that exited at start (its port taken) must not leave the load to whatever answers on that port.
check_started() {
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server $1 exited at start; see $OUT/server-$1.log" >&2; return 1; }
}

stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }

# CPU time (user + system) a process has used, in ms; 0 when it is gone.
cpu_ms() { # pid...
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    local fields; fields=$(sed 's/.*) //' "/proc/$pid/stat")
    total=$((total + $(echo "$fields" | awk '{print $12 + $13}')))
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}

load() { # server scenario args... (SERVER_PIDS, or SERVER_PID, names the processes whose CPU time is reported)
  local server=$1; shift
  local line pids=${SERVER_PIDS:-${SERVER_PID:-}} before after
  before=$(cpu_ms $pids)
  # The line ends with the load generator's own CPU time (client_cpu_ms), beside the server's.
  line=$(taskset -c $CLIENT_CORE java -Xmx4g "-Dloadgen.server-pids=$pids" -cp "$CP" io.realtimegateway.bench.LoadGen "$@" 2>>"$OUT/loadgen.log" | tail -1)
  after=$(cpu_ms $pids)
  echo "{\"server\":\"$server\",\"server_cpu_ms\":$((after - before)),${line#\{}" | tee -a "$RESULTS"
}

# Cross-instance: two gateway instances on the server core over Redis (the machine's on 6379, else none).
REDIS_URL=""
(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && REDIS_URL=redis://127.0.0.1:6379
cross() { # server
  local home=$JDK17_HOME; [ "$1" = gateway-jdk25 ] && home=$JDK25_HOME
  local pids=()
  for port in $PORT $((PORT + 1)); do
    taskset -c $SERVER_CORE "$home/bin/java" -XX:+UseParallelGC -Xmx1g \
      -Dquarkus.http.port=$port -Dquarkus.management.port=$((port + 1000)) \
      -Dmp.jwt.verify.publickey.location=$KEY -Dmp.jwt.verify.issuer=$ISSUER \
      -Dgateway.broker=redis -Dquarkus.redis.hosts=$REDIS_URL -Dgateway.allowed-origins=http://localhost \
      -Dgateway.limits.max-connections-per-user=1000000 -Dgateway.inbound.rate=1000000 \
      -Dgateway.inbound.burst=1000000 -jar target/quarkus-app/quarkus-run.jar > "$OUT/server-$1-cross-$port.log" 2>&1 &
    pids+=($!)
    wait_ready "http://127.0.0.1:$((port + 1000))/q/health/ready"
  done
  SERVER_PIDS="${pids[*]}" load "$1" cross 127.0.0.1 $PORT $((PORT + 1)) 10 10000 1000
  kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true
}

