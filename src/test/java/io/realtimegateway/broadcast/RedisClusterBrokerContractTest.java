package io.realtimegateway.broadcast;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RequiresRedisCluster;
import io.realtimegateway.support.WithRedisCluster;

/** The same contract over a real local Redis Cluster of three masters and three replicas (sharded pub/sub). */
@QuarkusTest
@TestProfile(WithRedisCluster.class)
@RequiresRedisCluster
class RedisClusterBrokerContractTest extends BrokerContractTest {

    @Override
    String expectedBroker() {
        return "redis";
    }
}
