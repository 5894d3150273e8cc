package io.realtimegateway.broadcast;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.WithRedis;

/** The same contract over a real Redis server (embedded, or GATEWAY_TEST_REDIS_URL). */
@QuarkusTest
@TestProfile(WithRedis.class)
class RedisBrokerContractTest extends BrokerContractTest {

    @Override
    String expectedBroker() {
        return "redis";
    }
}
