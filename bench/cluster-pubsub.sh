#!/usr/bin/env bash
# Sharded against classic pub/sub on a local Redis Cluster of 3 masters and 3 replicas, and on a standalone Redis 7
# (ClusterPubSubBench): Redis CPU and cluster-bus messages per published message, publish-to-subscriber p50/p99.
# Needs /usr/bin/redis-server 7 and redis-cli (or GATEWAY_TEST_REDIS_SERVER).
#
#   bench/cluster-pubsub.sh [rate per second, default 2000] [seconds, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile
./mvnw -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.realtimegateway.bench.ClusterPubSubBench \
  -Dexec.args="${1:-2000} ${2:-10}"
