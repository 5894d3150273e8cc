package io.realtimegateway.presence;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RequiresRedisCluster;
import io.realtimegateway.support.WithRedisCluster;

/** The presence tests with presence kept in a real local Redis Cluster, its changes on sharded pub/sub. */
@QuarkusTest
@TestProfile(WithRedisCluster.class)
@RequiresRedisCluster
class RedisClusterRoomPresenceTest extends RoomPresenceTest {
}
