package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.AnotherInstance;
import io.realtimegateway.support.ProxiedRedis;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * More messages are lost on a silent subscriber connection than the history keeps (2 here): the gap cannot be filled,
 * so the room's local members get {@code {"type":"resync","room":..}} and nothing they cannot trust; live delivery
 * then goes on.
 */
@QuarkusTest
@TestProfile(LostMessagesBeyondTheHistoryAreAnnouncedWithResyncTest.ShortHistory.class)
class LostMessagesBeyondTheHistoryAreAnnouncedWithResyncTest {

    public static class ShortHistory implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedRedis.class, Map.of("gateway.history.max-messages", "2")));
        }
    }

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @TestHTTPResource("/")
    URI base;

    @Test
    void theMembersAreToldToReloadAndLiveDeliveryGoesOn() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get(management.resolve("/q/health/ready")).statusCode() == 200);
        try (AnotherInstance far = new AnotherInstance(ProxiedRedis.redisPort(), 2);
                WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("near"))) {
            member.request(join("thin-room", "1"));
            far.publish("thin-room", "before");
            assertEquals("before", member.next("message").getString("data"));

            ProxiedRedis.proxy().muteSubscribers();
            for (int i = 1; i <= 5; i++) {
                far.publish("thin-room", "lost-" + i); // the history keeps only the last two
            }
            JsonObject first = member.next(frame -> !"pong".equals(frame.getString("type")));
            assertEquals("resync", first.getString("type"), first.encode());
            assertEquals("thin-room", first.getString("room"));

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> given().get(management.resolve("/q/health/ready")).statusCode() == 200);
            far.publish("thin-room", "after");
            assertEquals("after", member.next("message").getString("data"));
        }
    }
}
