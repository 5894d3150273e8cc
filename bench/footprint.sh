#!/usr/bin/env bash
# The serverless footprint, side by side in one run (issue 22): realtime-gateway as its fast-start container runs it
# (JDK 25, the aot-jar with its AOT cache trained by src/main/docker/aot-train.sh, the JVM flags of
# src/main/docker/Dockerfile.jvm-aot, a 512 MiB instance emulated with -XX:MaxRAM=512m), the seed document's own
# server (bench/reference/node-seed) and the same protocol on Node (bench/reference/node-ws). Server on core 1, load
# generator on core 0. Per run and server:
#   start      process start -> ready (health 200), on one core and on both
#   idle RSS   after three health and metrics requests and 5 s
#   footprint  RSS per idle authenticated connection at 10,000 and at 19,000, from the RSS before the first
#   accept     open loop, new authenticated connections at 500, 1,000, ... per second for 3 s each on a fresh process:
#              the highest rate accepted in full with handshake p99 <= 250 ms, and the server's CPU at it
#   cold       a fresh process hit at once with COLD_RATES (default 1,500 and 2,500 per second) for 3 s each
#   fan-out    a fresh process's first fan-out (200 subscribers x 50 msg/s, 10 s), then the same again on it, warm
# Prints the medians over RUNS runs (default 3) with bench/footprint_report.py; raw lines in target/bench/footprint.jsonl.
#
#   bench/footprint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SERVERS=${SERVERS:-"gateway node-seed node-ws"}
COLD_RATES=${COLD_RATES:-"1500 2500"}
RESULTS=target/bench/footprint.jsonl
source bench/lib.sh
npm ci --silent --prefix bench/reference/node-seed
# The container's flags (Dockerfile.jvm-aot's JAVA_OPTS); the AOT cache is trained with the same ones.
GATEWAY_FLAGS=${GATEWAY_FLAGS:-"-XX:+UseSerialGC -XX:MaxRAMPercentage=75.0 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Xmn24m"}
APP=target/bench/footprint-app
rm -f "$RESULTS"

./mvnw -B -q package -Paot -DskipTests -Dexec.skip=true
rm -rf "$APP" && cp -r target/quarkus-app "$APP"
(cd "$APP" && JAVA="$JDK25_HOME/bin/java" JAVA_OPTS="$GATEWAY_FLAGS" ../../../src/main/docker/aot-train.sh $((PORT + 7)) >/dev/null)
./mvnw -B -q package -DskipTests -Dexec.skip=true

health_url() { # server
  case "$1" in gateway) echo "http://127.0.0.1:$((PORT + 1000))/q/health/ready" ;; *) echo "http://127.0.0.1:$PORT/health" ;; esac
}

# Starts a server on the given cores; sets SERVER_PID and START_MS (fork to the first 200 of its health URL).
launch() { # server cores
  local url; url=$(health_url "$1")
  local t0; t0=$(date +%s%N)
  case "$1" in
    gateway)
      (cd "$APP" && exec taskset -c "$2" "$JDK25_HOME/bin/java" -XX:MaxRAM=512m $GATEWAY_FLAGS -XX:AOTCache=app.aot \
        -Dquarkus.http.port=$PORT -Dquarkus.management.port=$((PORT + 1000)) \
        -Dmp.jwt.verify.publickey.location="$PWD/../../../$KEY" -Dmp.jwt.verify.issuer=$ISSUER \
        -Dgateway.allowed-origins=http://localhost -Dgateway.limits.max-connections-per-user=1000000 \
        -Dgateway.upgrade-rate.rate=1000000 -Dgateway.upgrade-rate.burst=1000000 \
        -Dgateway.inbound.rate=1000000 -Dgateway.inbound.burst=1000000 -jar quarkus-run.jar) > "$OUT/footprint-$1.log" 2>&1 &
      SERVER_PID=$! ;;
    node-seed|node-ws)
      local dir=bench/reference/$1
      PORT=$PORT JWT_PUBLIC_KEY=$KEY JWT_ISSUER=$ISSUER ALLOWED_ORIGINS=http://localhost \
        taskset -c "$2" node "$dir/server.js" > "$OUT/footprint-$1.log" 2>&1 &
      SERVER_PID=$! ;;
  esac
  until curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null | grep -q 200; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$1 exited at start" >&2; cat "$OUT/footprint-$1.log" >&2; exit 1; }
    sleep 0.005
  done
  START_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

record() { # server json-fields (a trailing brace is dropped)
  echo "{\"server\":\"$1\",${2%\}}}" | tee -a "$RESULTS"
}

loadgen() { # args...
  taskset -c $CLIENT_CORE java -Xmx4g "-Dloadgen.server-pids=$SERVER_PID" -cp "$CP" io.realtimegateway.bench.LoadGen "$@" \
    2>>"$OUT/loadgen.log" | tail -1
}

for run in $(seq 1 "$RUNS"); do
  for server in $SERVERS; do
    launch "$server" $SERVER_CORE; one=$START_MS; stop_server
    launch "$server" 0,1; two=$START_MS
    for _ in 1 2 3; do curl -s -o /dev/null "$(health_url "$server")"; done
    [ "$server" = gateway ] && for _ in 1 2 3; do curl -s -o /dev/null "http://127.0.0.1:$((PORT + 1000))/q/metrics"; done
    sleep 5
    record "$server" "\"run\":$run,\"scenario\":\"start\",\"start_1core_ms\":$one,\"start_2cores_ms\":$two,\"idle_rss_kib\":$(rss_kib "$SERVER_PID")"
    line=$(loadgen footprint 127.0.0.1 $PORT "$SERVER_PID" 10000 19000)
    record "$server" "\"run\":$run,${line#\{}"
    stop_server

    launch "$server" $SERVER_CORE
    best=0; best_cpu=0
    for rate in 500 1000 1500 2000 2500 3000 3500 4000; do
      before=$(cpu_ms "$SERVER_PID")
      line=$(loadgen accept 127.0.0.1 $PORT $rate 3)
      after=$(cpu_ms "$SERVER_PID")
      record "$server" "\"run\":$run,\"server_cpu_ms\":$((after - before)),${line#\{}"
      ok=$(python3 -c "import json,sys; r=json.loads(sys.argv[1]); print(int(r['failures']==0 and r['p99_ms']<=250))" "$line")
      [ "$ok" = 1 ] || break
      best=$rate; best_cpu=$((after - before))
      sleep 2 # the closes of this step settle before the next
    done
    record "$server" "\"run\":$run,\"scenario\":\"accept-max\",\"max_rate\":$best,\"server_cpu_ms\":$best_cpu"
    stop_server

    # A reconnect storm's view: a fresh process hit at once, with no ramp to warm it.
    for rate in $COLD_RATES; do
      launch "$server" $SERVER_CORE
      line=$(loadgen accept 127.0.0.1 $PORT $rate 3)
      record "$server" "\"run\":$run,\"cold\":true,${line#\{}"
      stop_server
    done

    if [ "$server" != node-seed ]; then # the seed speaks no rooms
      launch "$server" $SERVER_CORE
      for phase in first warm; do
        line=$(loadgen fanout 127.0.0.1 $PORT 200 500 50)
        record "$server" "\"run\":$run,\"phase\":\"$phase\",${line#\{}"
      done
      stop_server
    fi
  done
done
python3 bench/footprint_report.py "$RESULTS"
