#!/usr/bin/env bash
# Starts a native executable built by ./mvnw package -Dnative and probes it (native/Probe.java): /q/health/ready, then
# one WebSocket join with a token of the test key pair; then SIGTERM must end it with status 0.
#
#   native/probe.sh target/realtime-gateway-1.0.0-SNAPSHOT-runner
set -euo pipefail
cd "$(dirname "$0")/.."
EXE="$1"
PORT="${PROBE_PORT:-18093}"
MANAGEMENT_PORT="${PROBE_MANAGEMENT_PORT:-18094}" # /q/health/* is on the management interface
KEYS="$PWD/src/test/resources/test-keys"
ISSUER=https://realtime-gateway.test
LOG=target/native-probe.log

start=$(date +%s%N)
"$EXE" -Dquarkus.http.port="$PORT" -Dquarkus.management.port="$MANAGEMENT_PORT" \
  -Dmp.jwt.verify.publickey.location="$KEYS/publicKey.pem" \
  -Dmp.jwt.verify.issuer="$ISSUER" > "$LOG" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2> /dev/null || true' EXIT
for _ in $(seq 1 100); do
  kill -0 "$pid" 2> /dev/null || { echo "the executable exited:" >&2; cat "$LOG" >&2; exit 1; }
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" | grep -q 200 && break
  sleep 0.05
done
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
java native/Probe.java "$PORT" "$KEYS/privateKey.pem" "$ISSUER" "$MANAGEMENT_PORT" || { cat "$LOG" >&2; exit 1; }
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
kill -TERM "$pid"
wait "$pid" || { echo "the executable did not stop cleanly:" >&2; cat "$LOG" >&2; exit 1; }
trap - EXIT
echo "native executable $EXE: ready in ${ready_ms} ms, RSS $((rss_kb / 1024)) MiB after one join, stopped cleanly"
