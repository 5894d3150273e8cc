package io.realtimegateway.chat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.WithRedis;

/** The rewind tests with the {@code redis} broker, so with the history in Redis Streams on a real Redis. */
@QuarkusTest
@TestProfile(WithRedis.class)
class RedisRewindOnJoinTest extends RewindOnJoinTest {
}
