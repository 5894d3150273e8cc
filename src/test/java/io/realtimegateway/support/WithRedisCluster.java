package io.realtimegateway.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile with {@code gateway.broker=redis} on a real local Redis Cluster ({@link RedisCluster#shared()}):
 * {@code quarkus.redis.client-type=cluster} and {@code quarkus.redis.hosts} naming its six nodes. Use it with
 * {@link RequiresRedisCluster}.
 */
public class WithRedisCluster implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SharedCluster.class));
    }

    /** Hands the shared cluster's configuration to the service; the cluster outlives the service. */
    public static final class SharedCluster implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return RedisCluster.shared().gatewayConfig();
        }

        @Override
        public void stop() {
            // shared by every test class of the run: torn down when the JVM exits
        }
    }
}
