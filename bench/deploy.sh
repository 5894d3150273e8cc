#!/usr/bin/env bash
# A deploy under load (issue 20): two instances of the packaged jar on one Redis of the benchmark's own, CLIENTS
# clients on A in ROOMS rooms, a publisher on B at RATE messages/s, SIGTERM to A; the clients behave like realtime.js
# (honour the close's reconnect hint, reconnect to B, rejoin with since). One JSON line per drain spread (SPREADS,
# the default drain beside no spread), then a table; results in target/bench/deploy.jsonl.
#
#   bench/deploy.sh                # CLIENTS=5000 ROOMS=50 RATE=100 SPREADS=5s,0s
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-5000}; ROOMS=${ROOMS:-50}; RATE=${RATE:-100}; SPREADS=${SPREADS:-5s,0s}
OUT=target/bench; mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" || true
./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=$OUT/classpath -Dmdep.includeScope=test
java -Xmx2g -cp "target/test-classes:target/classes:$(cat $OUT/classpath)" io.realtimegateway.bench.DeployBench \
  "$CLIENTS" "$ROOMS" "$RATE" "$SPREADS" 2>>"$OUT/deploy.log" | grep '^{' | tee "$OUT/deploy.jsonl"
python3 - "$OUT/deploy.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
keys = ["spread", "all_back_ms", "downtime_p50_ms", "downtime_p99_ms", "lost", "duplicated", "recovered_false",
        "peak_upgrades_per_s_on_b", "peak_redis_commands_per_s", "a_exit_ms", "client_cpu_ms"]
print("| " + " | ".join(keys) + " |")
print("|" + " --- |" * len(keys))
for r in rows:
    print("| " + " | ".join(str(r[k]) for k in keys) + " |")
PY
