package io.realtimegateway.presence;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.WithRedis;

/** The presence tests with the {@code redis} broker, so with presence kept in a real Redis by Lua scripts. */
@QuarkusTest
@TestProfile(WithRedis.class)
class RedisRoomPresenceTest extends RoomPresenceTest {
}
