package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.message.Topic;
import io.realtimegateway.redis.HashSlot;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.support.AnotherInstance;
import io.realtimegateway.support.RedisCluster;
import io.realtimegateway.support.RequiresRedisCluster;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WithRedisCluster;
import io.realtimegateway.support.WsClient;

/**
 * On a Redis Cluster of three masters, 24 rooms spread over every master ride sharded pub/sub: each room's channel is
 * a shard channel of the master that owns its slot ({@code PUBSUB SHARDCHANNELS}), no room is on classic pub/sub
 * ({@code PUBSUB CHANNELS}), and a message another instance publishes with {@code SPUBLISH} reaches the room's member.
 */
@QuarkusTest
@TestProfile(WithRedisCluster.class)
@RequiresRedisCluster
class RoomsRideShardedPubSubOnAClusterTest {

    @TestHTTPResource("/")
    URI base;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void everyRoomIsAShardChannelOfTheMasterOwningItsSlot() {
        RedisCluster cluster = RedisCluster.shared();
        RedisKeys keys = new RedisKeys("gateway:");
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("shard-watcher"));
                AnotherInstance far = new AnotherInstance(cluster, 100)) {
            Set<Integer> masters = new HashSet<>();
            for (int i = 0; i < 24; i++) {
                String room = "shard-" + run + "-" + i;
                assertEquals("ack", member.request(join(room, "j" + i)).getString("type"));
                String channel = keys.channel(Topic.room(room));
                int master = cluster.masterOf(HashSlot.of(channel));
                masters.add(master);
                assertTrue(cluster.cli(master, "PUBSUB", "SHARDCHANNELS", channel).contains(channel),
                        () -> channel + " is not a shard channel of its slot's master " + master);
                far.publish(room, "to " + i);
                assertEquals("to " + i, member.next("message").getString("data"));
            }
            assertEquals(3, masters.size(), "the rooms should cover every master");
            for (RedisCluster.Node node : cluster.nodes()) {
                String classic = cluster.cli(node.port(), "PUBSUB", "CHANNELS", "gateway:room:*");
                assertEquals("", classic.trim(), "rooms on classic pub/sub at node " + node.port());
            }
        }
    }
}
