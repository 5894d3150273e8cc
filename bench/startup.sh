#!/usr/bin/env bash
# Start-up of realtime-gateway on JDK 17 and JDK 25, on both cores of this machine (as a container with 2 CPUs would
# run it), for both packagings: the default fast-jar and the aot-jar of ./mvnw package -Paot. Each configuration is
# measured plain, with the class cache of one training run (src/main/docker/aot-train.sh: AppCDS on 17, the AOT cache
# on 25) and with that cache plus the client compiler only. Prints StartupBench's tables (median of 5 runs) and
# rebuilds the default packaging at the end.
#
#   bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JDK17_HOME=${JDK17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=target/bench
mkdir -p "$OUT"
JDKS=$JDK17_HOME; [ -x "$JDK25_HOME/bin/java" ] && JDKS="$JDK17_HOME $JDK25_HOME"

./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=$OUT/classpath -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat $OUT/classpath)"
: > "$OUT/startup-both.txt"
for profile in default aot; do
  if [ "$profile" = aot ]; then flags=-Paot; else flags=; fi
  ./mvnw -B -q package -DskipTests -Dexec.skip=true $flags
  java -cp "$CP" io.realtimegateway.bench.StartupBench $JDKS | tee -a "$OUT/startup-both.txt"
done
./mvnw -B -q package -DskipTests -Dexec.skip=true
