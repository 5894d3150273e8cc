package io.realtimegateway.chat;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.recovery.Recovery;
import io.realtimegateway.support.JdkWsClient;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * Recovery end to end through real clients, with the in-memory history; {@link RedisMissedMessagesAreReplayedTest}
 * runs the same tests with the Redis broker and its Redis Streams history.
 */
@QuarkusTest
class MissedMessagesAreReplayedOnRejoinTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aClientThatWasAwayGetsWhatItMissedInOrderThenLiveMessages() {
        try (WsClient alice = WsClient.connect(base, "/ws/chat", Tokens.user("alice"))) {
            alice.request(join("tunnel", "1"));
            String lastSeen;
            try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
                bob.request(join("tunnel", "2"));
                alice.request(publish("tunnel", "before", "3"));
                lastSeen = bob.next("message").getString("id");
            }
            for (int i = 0; i < 5; i++) {
                alice.request(publish("tunnel", "missed-" + i, "m" + i));
            }
            try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
                JsonObject ack = bob.request(join("tunnel", "back").put("since", lastSeen));
                assertEquals("ack", ack.getString("type"));
                assertEquals(true, ack.getBoolean("recovered"));
                for (int i = 0; i < 5; i++) {
                    assertEquals("missed-" + i, bob.next("message").getString("data"));
                }
                alice.request(publish("tunnel", "live", "l"));
                assertEquals("live", bob.next("message").getString("data"));
            }
        }
    }

    @Test
    void anIdTheHistoryDoesNotKnowIsReportedAsNotRecovered() {
        try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
            JsonObject ack = bob.request(join("amnesia", "1").put("since", "gone:42"));
            assertEquals(false, ack.getBoolean("recovered"));
            assertEquals("invalid_field", bob.request(join("amnesia", "2").put("since", "not-an-id")).getString("code"));
        }
    }

    @Test
    void noGapAndNoDuplicateAtTheSeamUnderConcurrentPublishing() throws Exception {
        int total = 3000;
        try (WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("firehose"));
                WsClient first = WsClient.connect(base, "/ws/chat", Tokens.user("reader"))) {
            publisher.request(join("busy", "1"));
            first.request(join("busy", "2"));
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= total; i++) {
                    publisher.send(publish("busy", i, null));
                }
            });
            // Read part of the stream, then drop the connection while publishing goes on.
            String lastSeen = null;
            int lastValue = 0;
            while (lastValue < 500) {
                JsonObject m = first.next("message");
                lastSeen = m.getString("id");
                lastValue = m.getInteger("data");
            }
            first.close();
            try (WsClient again = WsClient.connect(base, "/ws/chat", Tokens.user("reader"))) {
                JsonObject ack = again.request(join("busy", "3").put("since", lastSeen));
                assertTrue(ack.getBoolean("recovered"), "history of 5000 must reach back");
                publishing.get(30, TimeUnit.SECONDS);
                List<Integer> values = new ArrayList<>();
                long previous = StreamId.parse(lastSeen).offset();
                for (int expected = lastValue + 1; expected <= total; expected++) {
                    JsonObject m = again.next("message");
                    long offset = StreamId.parse(m.getString("id")).offset();
                    assertEquals(previous + 1, offset, "gap or duplicate at offset " + offset);
                    previous = offset;
                    values.add(m.getInteger("data"));
                    assertEquals(expected, m.getInteger("data"));
                }
                assertEquals(total - lastValue, values.size());
                assertFalse(again.pending().stream().anyMatch(f -> "message".equals(f.getString("type"))),
                        "a message arrived twice");
            }
        }
    }

    @Test
    void notificationsAreReplayedWithSinceInTheQuery() {
        String publisher = Tokens.publisher("billing");
        String lastSeen;
        try (WsClient tab = WsClient.connect(base, "/ws/notifications", Tokens.user("gina"))) {
            given().auth().oauth2(publisher).contentType("application/json").body("1")
                    .post("/api/v1/users/gina/notifications").then().statusCode(202);
            lastSeen = tab.next("notification").getString("id");
        }
        for (int i = 2; i <= 4; i++) {
            given().auth().oauth2(publisher).contentType("application/json").body(Integer.toString(i))
                    .post("/api/v1/users/gina/notifications").then().statusCode(202);
        }
        // The ack and the replay come the moment the connection opens: a client that keeps bytes read with the 101.
        try (JdkWsClient tab = JdkWsClient.connect(base, "/ws/notifications?access_token=" + Tokens.user("gina")
                + "&since=" + lastSeen)) {
            assertEquals(true, tab.next("ack").getBoolean("recovered"));
            for (int i = 2; i <= 4; i++) {
                assertEquals(i, tab.next("notification").getInteger("data"));
            }
        }
    }
}
