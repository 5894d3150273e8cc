#!/usr/bin/env bash
# Records the JVM's class cache for the packaged application by one training run, so later starts skip most class
# loading and linking:
#   JDK 24+: the ahead-of-time cache (JEP 483/514), written to app.aot, used with -XX:AOTCache=app.aot
#   JDK 17-23: an AppCDS archive, written to app.jsa, used with -XX:SharedArchiveFile=app.jsa
#
# Run it in the application directory (target/quarkus-app, or /deployments in an image) with the same java and the
# same JVM options the service will run with: the cache is only used by that exact JDK build, that classpath and a
# compatible GC. Package with ./mvnw package -Paot first: the aot-jar layout puts every class on the JVM's own class
# path, where the cache can hold it (the default fast-jar loads most classes through Quarkus's own class loader,
# which the cache cannot hold).
#
#   JAVA=/path/to/java JAVA_OPTS="-XX:+UseSerialGC" src/main/docker/aot-train.sh [port]
#
# The training run starts the service (production profile, in-memory broker: no Redis; a throwaway key pair made for
# the run), waits until /q/health/ready answers 200, requests what a start-up and the first clients touch (health,
# metrics, the client script, a WebSocket upgrade without a token), then runs the first users' workload
# (io.realtimegateway.training.AotTraining: 200 connections in a room, 2,000 messages fanned out to them, a
# notifications connection, then 2,000 more upgrades as a reconnect storm brings), so that the cache holds those paths
# too (on JDK 25, with their method profiles: a fresh instance's first fan-out and first upgrades are then not run in
# the interpreter); then it stops the service with SIGTERM and the JVM writes the cache as it exits. Needs bash (HTTP
# goes through /dev/tcp) and the java given.
set -euo pipefail

PORT="${1:-18080}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1))}" # /q/health/* and /q/metrics are on the management interface
JAVA="${JAVA:-java}"
read -r -a OPTS <<< "${JAVA_OPTS:-}"

feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${feature%%.*}" -ge 24 ]; then
    output=app.aot
    record=(-XX:AOTCacheOutput=app.aot)
    use="-XX:AOTCache=app.aot"
else
    output=app.jsa
    record=(-XX:ArchiveClassesAtExit=app.jsa)
    use="-XX:SharedArchiveFile=app.jsa"
fi
rm -f "$output"

# One request (path, optional extra headers); prints the status code, or nothing when no server answers. Paths under
# /q/health and /q/metrics go to the management port.
status() {
    local line port=$PORT
    case "$1" in /q/health*|/q/metrics*) port=$MANAGEMENT_PORT ;; esac
    { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
    printf 'GET %s HTTP/1.1\r\nHost: localhost:%s\r\n%s\r\n' "$1" "$port" "${2:-$'Connection: close\r\n'}" >&3
    IFS= read -r line <&3 || true
    if [ -z "${2:-}" ]; then
        cat <&3 > /dev/null || true # the whole body, so that the server completes it
    fi
    exec 3<&- 3>&-
    line="${line#HTTP/1.1 }"
    echo "${line%% *}"
}

if [ -n "$(status /)" ]; then
    echo "port $PORT is in use: pass a free port as the first argument" >&2
    exit 1
fi

keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT
"$JAVA" -cp "app/*" io.realtimegateway.training.AotTraining keys "$keys"

"$JAVA" "${OPTS[@]}" "${record[@]}" -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.management.port="$MANAGEMENT_PORT" -Dquarkus.management.host=127.0.0.1 \
    -Dmp.jwt.verify.publickey.location="$keys/training-public.pem" -Dmp.jwt.verify.issuer=aot-training \
    -Dgateway.allowed-origins=http://aot-training -Dgateway.inbound.rate=100000 -Dgateway.inbound.burst=100000 \
    -Dgateway.upgrade-rate.rate=100000 -Dgateway.upgrade-rate.burst=100000 \
    -jar quarkus-run.jar > aot-training.log 2>&1 &
pid=$!

ready=""
for _ in $(seq 1 1200); do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "the training run exited early; its log:" >&2
        cat aot-training.log >&2
        exit 1
    fi
    ready=$(status /q/health/ready)
    [ "$ready" = 200 ] && break
    sleep 0.05
done
if [ "$ready" != 200 ]; then
    echo "the training run was not ready within 60 s" >&2
    kill -KILL "$pid"
    exit 1
fi

for _ in 1 2 3; do
    status /q/health/live > /dev/null
    status /q/health > /dev/null
    status /q/metrics > /dev/null
    status /realtime.js > /dev/null
    status / > /dev/null
    status /ws/chat $'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' > /dev/null
done

if ! "$JAVA" -cp "app/*" io.realtimegateway.training.AotTraining load "$PORT" "$keys"; then
    echo "the training workload did not complete; the training log:" >&2
    cat aot-training.log >&2
    kill -KILL "$pid"
    exit 1
fi

kill -TERM "$pid"
wait "$pid" || true
if [ ! -s "$output" ]; then
    echo "no $output was written; the training log:" >&2
    cat aot-training.log >&2
    exit 1
fi
rm -f aot-training.log
echo "wrote $(pwd)/$output; start with: $JAVA ${JAVA_OPTS:-} $use -jar quarkus-run.jar"
