package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import io.realtimegateway.support.SteadyTraffic;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WithRedisCluster;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * Resharding under traffic: the slot of a room with a member is moved to another master ({@code CLUSTER SETSLOT
 * IMPORTING/MIGRATING}, {@code MIGRATE}, {@code SETSLOT NODE}) while another instance publishes into it. The old master
 * unsubscribes the room's shard channel ({@code sunsubscribe}); the gateway subscribes it at the new master, and the
 * member gets every acknowledged message, once. The history moved with the slot: a rejoin with a {@code since} from
 * before the move is recovered, with exactly what came after it.
 */
@QuarkusTest
@TestProfile(WithRedisCluster.class)
@RequiresRedisCluster
class MovingARoomsSlotLosesNothingTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void theMemberGetsEveryMessageOnceAndARejoinIsRecovered() {
        RedisCluster cluster = RedisCluster.shared();
        String room = "moving-" + UUID.randomUUID().toString().substring(0, 8);
        String channel = new RedisKeys("gateway:").channel(Topic.room(room));
        int slot = HashSlot.of(channel);
        int from = cluster.masterOf(slot);
        int to = cluster.masters().stream().filter(port -> port != from).findFirst().orElseThrow();
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("stays-put"));
                AnotherInstance far = new AnotherInstance(cluster, 5000)) {
            assertEquals("ack", member.request(join(room, "1")).getString("type"));
            List<JsonObject> received = new ArrayList<>();
            String since;
            try (SteadyTraffic traffic = new SteadyTraffic(far, room)) {
                SteadyTraffic.receiveUntil(member, received, () -> received.size() >= 20);
                since = received.get(received.size() - 1).getString("id");
                long movedAt = System.currentTimeMillis();
                cluster.moveSlot(slot, to);
                assertEquals(to, cluster.masterOf(slot));
                SteadyTraffic.receiveUntil(member, received, () -> traffic.acknowledgedAfter(movedAt) >= 20);
                // The old master's sunsubscribe, a stale slot table or a MOVED answer all lead there within seconds.
                await("the room's channel subscribed at the new master").atMost(Duration.ofSeconds(10))
                        .until(() -> cluster.cli(to, "PUBSUB", "SHARDCHANNELS", channel).contains(channel));
                traffic.close();
                traffic.assertEveryAcknowledgedArrivedOnce(member, received);
                System.out.printf("resharding: slot %d moved from %d to %d; %d messages acknowledged, %d delivered%n",
                        slot, from, to, traffic.acknowledged().size(), received.size());
            }
            assertTrue(SteadyTraffic.rejoinGetsEverythingAfterOrIsToldNot(base, room, since, received),
                    "the history moved with the slot: the rejoin should be recovered");
        }
    }
}
