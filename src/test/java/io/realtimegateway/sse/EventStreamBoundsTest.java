package io.realtimegateway.sse;

import static io.realtimegateway.support.Frames.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.support.SseClient;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.realtimegateway.upgrade.UserSlots;
import io.vertx.core.json.JsonObject;

/**
 * Every bound of the WebSocket path holds on an event stream: connections per user and upgrades per address at the
 * admission, the inbound rate, the heartbeat (comment lines), the token's expiry with its in-band refresh (the slow
 * consumer: {@link AStreamThatIsNotReadIsEndedWith1013Test}).
 */
@QuarkusTest
@TestProfile(EventStreamBoundsTest.Tight.class)
class EventStreamBoundsTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.limits.max-connections-per-user", "2",
                    "gateway.upgrade-rate.rate", "0.01", "gateway.upgrade-rate.burst", "3",
                    "gateway.trusted-proxies", "127.0.0.1,::1",
                    "gateway.inbound.rate", "2", "gateway.inbound.burst", "2", "gateway.inbound.max-violations", "3",
                    "gateway.heartbeat.interval", "1s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    ConnectionRegistry registry;

    @Inject
    UserSlots slots;

    private static Map<String, String> from(String address) {
        return Map.of("X-Forwarded-For", address);
    }

    @Test
    void aUserWithAllItsConnectionsGets429UntilAStreamEnds() {
        SseClient first = SseClient.open(base, "chat", Tokens.user("capped"), "", from("203.0.113.1"));
        try (WsClient second = WsClient.connect(base, "/ws/chat?access_token=" + Tokens.user("capped"),
                Map.of("X-Forwarded-For", "203.0.113.2", "Origin", SseClient.ORIGIN))) {
            SseClient third = SseClient.attempt(base, "chat", Tokens.user("capped"), "", from("203.0.113.3"));
            assertEquals(429, third.status(), "streams and WebSockets share the per-user cap");
            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> slots.held("capped") == 1);
            try (SseClient fourth = SseClient.open(base, "chat", Tokens.user("capped"), "", from("203.0.113.4"))) {
                assertFalse(fourth.hasEnded());
            }
        }
    }

    @Test
    void anAddressOverItsUpgradeRateGets429() {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(SseClient.open(base, "notifications", Tokens.user("rate-" + i), "", from("198.51.100.7")));
            }
            SseClient refused = SseClient.attempt(base, "notifications", Tokens.user("rate-4"), "",
                    from("198.51.100.7"));
            assertEquals(429, refused.status());
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void postedFramesOverTheInboundRateAreRefusedThenTheStreamIsClosedWith1008() {
        try (SseClient sse = SseClient.open(base, "chat", Tokens.user("flooder"), "", from("192.0.2.10"))) {
            List<JsonObject> pings = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                pings.add(new JsonObject().put("type", "ping").put("ref", Integer.toString(i)));
            }
            assertEquals(202, sse.post(pings));
            assertEquals("1", sse.next("pong").getString("ref"));
            assertEquals("2", sse.next("pong").getString("ref"));
            JsonObject limited = sse.next("error");
            assertEquals("rate_limited", limited.getString("code"));
            assertEquals("3", limited.getString("ref"));
            assertEquals("4", sse.next("error").getString("ref"));
            JsonObject close = sse.next("close");
            assertEquals(1008, close.getInteger("code"));
            sse.awaitEnd();
        }
    }

    @Test
    void aStreamGetsAHeartbeatCommentEveryInterval() {
        try (SseClient sse = SseClient.open(base, "notifications", Tokens.user("beat"), "", from("192.0.2.11"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.comments() >= 3);
            assertFalse(sse.hasEnded(), "a stream that takes its heartbeats stays open");
        }
    }

    @Test
    void aStreamWhoseTokenExpiresIsWarnedRefreshesInBandOrEndsWith4001() {
        Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4);
        try (SseClient refreshed = SseClient.open(base, "chat", Tokens.expiringAt("late", exp), "",
                from("192.0.2.12"));
                SseClient expiring = SseClient.open(base, "chat", Tokens.expiringAt("late2", exp), "",
                        from("192.0.2.13"))) {
            assertEquals(exp.getEpochSecond(), refreshed.next("token_expiring").getLong("exp"));
            expiring.next("token_expiring");
            JsonObject ack = refreshed.request(new JsonObject().put("type", "refresh")
                    .put("token", Tokens.user("late")).put("ref", "r"));
            assertTrue(ack.getLong("exp") > exp.getEpochSecond(), ack.encode());

            JsonObject close = expiring.next("close");
            assertEquals(4001, close.getInteger("code"));
            assertEquals("token expired", close.getString("reason"));
            expiring.awaitEnd();
            assertFalse(refreshed.hasEnded(), "the refreshed stream outlives the first token");
            assertEquals(202, refreshed.post(join("after", "2")), "its posts still pass");
            assertEquals("2", refreshed.next("ack").getString("ref"));
        }
    }
}
