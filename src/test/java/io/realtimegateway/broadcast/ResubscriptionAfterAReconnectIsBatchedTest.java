package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.AnotherInstance;
import io.realtimegateway.support.ProxiedRedis;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * After the subscriber connection is lost (Redis killed it), the instance resubscribes every channel its members need,
 * in a few large {@code SUBSCRIBE} commands (500 channels each) rather than one per channel, as Redis's own command
 * statistics show, and the rooms deliver again.
 */
@QuarkusTest
@TestProfile(ResubscriptionAfterAReconnectIsBatchedTest.OwnRedis.class)
class ResubscriptionAfterAReconnectIsBatchedTest {

    private static final int ROOMS = 1_200;

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedRedis.class));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void twelveHundredChannelsComeBackInThreeSubscribes() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<WsClient> members = new ArrayList<>();
        try (AnotherInstance far = new AnotherInstance(ProxiedRedis.redisPort(), 100)) {
            Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + ProxiedRedis.redisPort());
            for (int c = 0; c < ROOMS / 100; c++) {
                WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("member-" + c));
                members.add(member);
                for (int r = 0; r < 100; r++) {
                    member.request(join("many-" + (c * 100 + r), "j" + r));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> roomChannels(redis) >= ROOMS);
            long subscribesBefore = subscribeCalls(redis);

            send(redis, Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("pubsub"));
            await().atMost(Duration.ofSeconds(30)).until(() -> subscribeCalls(redis) > subscribesBefore
                    && roomChannels(redis) >= ROOMS);
            long subscribes = subscribeCalls(redis) - subscribesBefore;
            // The probe channel's own SUBSCRIBE, then 1,200 room channels and one 'all' in batches of 500.
            assertTrue(subscribes >= 3 && subscribes <= 5, "SUBSCRIBE commands after the reconnect: " + subscribes);

            far.publish("many-" + (ROOMS - 1), "after the reconnect");
            assertEquals("after the reconnect", members.get(members.size() - 1).next("message").getString("data"));
        } finally {
            members.forEach(WsClient::close);
            vertx.close();
        }
    }

    private static long roomChannels(Redis redis) throws Exception {
        return send(redis, Request.cmd(Command.PUBSUB).arg("CHANNELS").arg("gateway:room:*")).size();
    }

    /** Redis's count of SUBSCRIBE commands since it started ({@code INFO commandstats}). */
    private static long subscribeCalls(Redis redis) throws Exception {
        for (String line : send(redis, Request.cmd(Command.INFO).arg("commandstats")).toString().split("\r?\n")) {
            if (line.startsWith("cmdstat_subscribe:calls=")) {
                return Long.parseLong(line.substring("cmdstat_subscribe:calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    private static Response send(Redis redis, Request request) throws Exception {
        return redis.send(request).toCompletionStage().toCompletableFuture().get();
    }
}
