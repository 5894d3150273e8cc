package io.realtimegateway.security;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * A connection whose token is about to expire is told so ({@code token_expiring}) and stays open with a fresh token
 * sent in band ({@code refresh}); a bad refresh changes nothing. Tokens here expire in seconds, inside the default
 * 30 s refresh-ahead window, so the warning comes at once.
 */
@QuarkusTest
class TokenRefreshInBandTest {

    @TestHTTPResource("/")
    URI base;

    /** At the start of a second at least 3 s away (JWT {@code exp} has a resolution of one second). */
    private static Instant soon() {
        return Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4);
    }

    private static JsonObject refresh(String token, String ref) {
        return new JsonObject().put("type", "refresh").put("token", token).put("ref", ref);
    }

    @Test
    void aRefreshedConnectionOutlivesItsFirstTokenOnBothEndpoints() {
        for (String path : List.of("/ws/chat", "/ws/notifications")) {
            Instant exp = soon();
            try (WsClient client = WsClient.connect(base, path, Tokens.expiringAt("renewer", exp))) {
                assertEquals(exp.getEpochSecond(), client.next("token_expiring").getLong("exp"), path);
                Instant later = Instant.now().plusSeconds(3600);
                JsonObject ack = client.request(refresh(Tokens.expiringAt("renewer", later), "r1"));
                assertEquals("ack", ack.getString("type"), path + ": " + ack);
                assertEquals(later.getEpochSecond(), ack.getLong("exp"));

                await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(exp.plusSeconds(1)));
                assertEquals("pong", client.request(new JsonObject().put("type", "ping").put("ref", "p")).getString(
                        "type"), path + ": the connection is still open after the first token's expiry");
                assertFalse(client.isClosed());
            }
        }
    }

    @Test
    void aRefreshedTokenShorterLivedThanTheWindowIsWarnedHalfwayNotAtOnce() {
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.expiringAt("brief", soon()))) {
            client.next("token_expiring");
            Instant next = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 9);
            assertEquals("ack", client.request(refresh(Tokens.expiringAt("brief", next), "r")).getString("type"));
            long refreshedAt = System.currentTimeMillis();
            JsonObject warning = client.next("token_expiring");
            long after = System.currentTimeMillis() - refreshedAt;
            assertEquals(next.getEpochSecond(), warning.getLong("exp"));
            assertTrue(after >= 2_000, "warned " + after + " ms after the refresh: a client would refresh in a loop");
        }
    }

    @Test
    void anInvalidTokenOrAnotherUsersIsRefusedAndTheOldDeadlineStands() {
        Instant exp = soon();
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.expiringAt("stuck", exp))) {
            client.next("token_expiring");
            for (String token : List.of("garbage", Tokens.user("someone-else"), Tokens.signedByAnotherKey("stuck"),
                    Tokens.withRoles("stuck", "publisher"))) {
                JsonObject answer = client.request(refresh(token, "bad"));
                assertEquals("error", answer.getString("type"));
                assertEquals("invalid_token", answer.getString("code"));
            }
            assertEquals(4001, client.awaitClose(), "the first token's expiry still closes the connection");
        }
    }

    @Test
    void aPrivateRoomTheNewTokenNoLongerGrantsIsLeftAndTheClientIsTold() {
        Instant exp = soon();
        String first = Tokens.userWithRoomsExpiringAt("member", exp, "private:team", "private:club");
        try (WsClient client = WsClient.connect(base, "/ws/chat", first)) {
            assertEquals("ack", client.request(join("private:team", "j1")).getString("type"));
            assertEquals("ack", client.request(join("private:club", "j2")).getString("type"));
            client.send(refresh(Tokens.userWithRooms("member", "private:club"), "r"));
            JsonObject left = client.next("left");
            assertEquals("private:team", left.getString("room"));
            assertEquals("forbidden", left.getString("reason"));
            assertEquals("r", client.next("ack").getString("ref"), "then the refresh's ack");
            assertEquals("not_member", client.request(publish("private:team", "hi", "p1")).getString("code"));
            assertEquals("ack", client.request(publish("private:club", "hi", "p2")).getString("type"),
                    "a room still granted is kept");
        }
    }
}
