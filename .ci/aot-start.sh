#!/usr/bin/env bash
# The fast-start path of src/main/docker/Dockerfile.jvm-aot on each JDK given: one training run
# (src/main/docker/aot-train.sh) in the packaged application's directory, then a start that must map the cache
# (-XX:AOTMode=on on JDK 24+, -Xshare:on before: the JVM refuses to start without it) and answer /q/health/ready,
# then a SIGTERM that must end it with status 0. Run after ./mvnw package -Paot.
#
#   .ci/aot-start.sh /usr/lib/jvm/temurin-25-jdk-amd64 [more JDK homes...]
set -euo pipefail
cd "$(dirname "$0")/../target/quarkus-app"
PORT=18091
MANAGEMENT_PORT=18092
for home in "$@"; do
  java="$home/bin/java"
  JAVA="$java" JAVA_OPTS="-XX:+UseSerialGC" ../../src/main/docker/aot-train.sh 18092
  if [ -f app.aot ]; then use=(-XX:AOTMode=on -XX:AOTCache=app.aot); else use=(-Xshare:on -XX:SharedArchiveFile=app.jsa); fi
  "$java" -XX:+UseSerialGC "${use[@]}" -Dquarkus.http.port=$PORT -Dquarkus.management.port=$MANAGEMENT_PORT -jar quarkus-run.jar > aot-start.log 2>&1 &
  pid=$!
  ok=""
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" | grep -q 200; then ok=1; break; fi
    sleep 0.1
  done
  if [ -z "$ok" ]; then
    echo "$java did not start with its cache:" >&2; cat aot-start.log >&2; kill -KILL "$pid" 2>/dev/null || true; exit 1
  fi
  kill -TERM "$pid"
  wait "$pid" || { echo "$java with its cache did not stop cleanly:" >&2; cat aot-start.log >&2; exit 1; }
  echo "$java: started with ${use[*]} and stopped cleanly ($(grep -o 'started in [0-9.]*s' aot-start.log))"
  rm -f app.aot app.jsa aot-start.log
done
