#!/usr/bin/env bash
# The native build, checked as far as this machine can take it (docs/native.md).
#
# With a real GraalVM or Mandrel (native-image on PATH): the ordinary ./mvnw package -Dnative, then the executable is
# started and probed (/q/health/ready, one WebSocket join).
#
# Without one: GraalVM's Native Image builder from Maven Central (native/builder-pom.xml) runs on a copy of JDK 25 on
# the project's own target/native-sources/native-image.args, through analysis and compilation to the relocatable object
# file, stopping before the link (native/NativeCheck.java). Fails on any builder error; prints one summary line.
# Reuses target/native-sources when it is newer than pom.xml and src/main (CI's step 2 writes it), and the JDK copy
# and builder jars under target/native-check. Needs gcc and a JDK 25; about 4 minutes and 5.6 GB on 2 cores.
#
# Environment: JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64), NATIVE_CHECK_XMX (builder heap, default 10g),
# NATIVE_CHECK_OPTIONS (more builder options, for an investigation: e.g. -H:+PrintAnalysisCallTree),
# NATIVE_CHECK_VERBOSE=true (echo the builder's output as it comes; otherwise it is in target/native-check/builder.log
# and its last 60 lines are shown on a failure).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v native-image > /dev/null 2>&1; then
  ./mvnw -B package -Dnative -DskipTests
  exec native/probe.sh target/*-runner
fi

JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -x "$JDK25/bin/java" ] || ! "$JDK25/bin/java" -version 2>&1 | grep -q 'version "25'; then
  echo "native/check.sh: needs a JDK 25 in \$JDK25 (now '$JDK25')" >&2
  exit 2
fi
if ! command -v gcc > /dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq gcc libc6-dev > /dev/null
fi

SOURCES=target/native-sources
if [ ! -f "$SOURCES/native-image.args" ] || [ -n "$(find pom.xml src/main -newer "$SOURCES/native-image.args" -print -quit)" ]; then
  ./mvnw -B -q package -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true -DskipTests -Dexec.skip=true
fi

WORK=target/native-check
if [ "$(ls "$WORK/builder-jars"/*.jar 2> /dev/null | wc -l)" -lt 13 ]; then
  ./mvnw -B -q -f native/builder-pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$PWD/$WORK/builder-jars"
fi

exec "$JDK25/bin/java" -Dnativecheck.xmx="${NATIVE_CHECK_XMX:-10g}" -Dnativecheck.extraOptions="${NATIVE_CHECK_OPTIONS:-}" \
  -Dnativecheck.verbose="${NATIVE_CHECK_VERBOSE:-false}" \
  -Dnativecheck.helper.source=native/reporterchelper.c \
  native/NativeCheck.java "$SOURCES" "$WORK/builder-jars" "$WORK"
