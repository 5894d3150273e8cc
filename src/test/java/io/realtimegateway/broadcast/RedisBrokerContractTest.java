package io.realtimegateway.broadcast;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RedisTestServer;

/** The same contract over a real Redis server (embedded, or GATEWAY_TEST_REDIS_URL). */
@QuarkusTest
@TestProfile(RedisBrokerContractTest.WithRedis.class)
class RedisBrokerContractTest extends BrokerContractTest {

    public static class WithRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestServer.class));
        }
    }

    @Override
    String expectedBroker() {
        return "redis";
    }
}
