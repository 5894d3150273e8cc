#!/usr/bin/env bash
# Where the gateway's CPU goes during fan-out: records a JDK Flight Recording of the server (JDK 17) while one
# publisher sends MESSAGES (default 2,000) messages at RATE/s (default 100) to SUBS (default 1,000) subscribers, after
# a warm-up of WARMUP (default 500) messages at the same rate, as bench/cpu-per-delivery.sh does, then prints the methods that use the most CPU, by own time and with callees, from
# the recording's execution samples (10 ms period per thread, JFR's "profile" settings). The recording stays in
# target/bench/fanout.jfr for JDK Mission Control.
#
#   bench/profile.sh
#   SUBS=10000 MESSAGES=40 RATE=2 WARMUP=20 bench/profile.sh     # the moderate load: single broadcasts
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=target/bench/profile.jsonl
source bench/lib.sh
: > "$RESULTS"
JFR=$OUT/fanout.jfr
rm -f "$JFR"

SERVER_JAVA_OPTS="-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true" start_server gateway-jdk17
SUBS=${SUBS:-1000}
RATE=${RATE:-100}
load gateway-jdk17 fanout 127.0.0.1 $PORT "$SUBS" "${WARMUP:-500}" "$RATE" > /dev/null # warm-up
load gateway-jdk17 fanout 127.0.0.1 $PORT "$SUBS" "${MESSAGES:-2000}" "$RATE"
stop_server
"$JDK17_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$JFR" > "$OUT/fanout-samples.txt"
python3 bench/profile_report.py "$OUT/fanout-samples.txt" | tee "$OUT/profile.txt"
