package io.realtimegateway.support;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A test profile with {@code gateway.broker=redis} on a real Redis server ({@link RedisTestServer}). */
public class WithRedis implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestServer.class));
    }
}
