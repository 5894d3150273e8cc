package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.support.ProxiedRedis;
import io.realtimegateway.support.Readiness;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * Redis runs an append at once but its answer is held back past the command timeout (1 s): the publisher is told
 * {@code unavailable} and the local member gets the message under a local id, while the history numbered it. When the
 * answer comes after all, that offset counts as delivered, so the position checks (every 200 ms here) do not deliver
 * the message a second time from the history.
 */
@QuarkusTest
@TestProfile(AnAppendAnsweredLateIsNotDeliveredTwiceTest.FrequentChecks.class)
class AnAppendAnsweredLateIsNotDeliveredTwiceTest {

    public static class FrequentChecks implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedRedis.class,
                    Map.of("gateway.history.position-check", "200ms")));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void theMemberGetsTheMessageOnce() {
        Readiness.awaitUp(management);
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("listens"));
                WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("speaks"))) {
            member.request(join("late-room", "1"));
            publisher.request(join("late-room", "2"));
            assertEquals("ack", publisher.request(publish("late-room", "before", "3")).getString("type"));
            JsonObject before = member.next("message");
            assertEquals("before", before.getString("data"));

            ProxiedRedis.proxy().holdReplies();
            JsonObject refused;
            try {
                refused = publisher.request(publish("late-room", "late", "4"));
            } finally {
                ProxiedRedis.proxy().releaseReplies();
            }
            assertEquals("error", refused.getString("type"), refused.encode());
            JsonObject local = member.next("message");
            assertEquals("late", local.getString("data"));
            assertTrue(local.getString("id").startsWith("local"), "delivered under a local id: " + local.encode());

            Readiness.awaitUp(management);
            JsonObject after = publisher.request(publish("late-room", "after", "5"));
            assertEquals("ack", after.getString("type"), after.encode());
            JsonObject next = member.next("message");
            assertEquals("after", next.getString("data"), "the late message came twice: " + next.encode());
            // The history numbered "late" just before "after": the checks now see no gap below it. Several checks
            // and their grace (1 s) pass; none may bring "late" again.
            assertEquals(StreamId.parse(before.getString("id")).offset() + 2, StreamId.parse(next.getString("id")).offset(),
                    "\"late\" was numbered between \"before\" and \"after\"");
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                JsonObject frame = member.poll(Duration.ofMillis(200));
                if (frame != null) {
                    assertNotEquals("message", frame.getString("type"), "delivered again: " + frame.encode());
                }
            }
        }
    }
}
