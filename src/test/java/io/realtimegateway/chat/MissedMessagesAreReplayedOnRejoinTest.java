package io.realtimegateway.chat;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.everyByteAnd;
import static io.realtimegateway.support.Frames.publish;
import static io.realtimegateway.support.Frames.publishBytes;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    void missedTextAndBinaryMessagesAreReplayedInOrderWithTheBytesUnchanged() {
        byte[] payload = everyByteAnd(1024);
        try (WsClient alice = WsClient.connect(base, "/ws/chat", Tokens.user("alice"))) {
            alice.request(join("mixed-tunnel", "1"));
            String lastSeen;
            try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
                bob.request(join("mixed-tunnel", "2"));
                alice.request(publish("mixed-tunnel", "before", "3"));
                lastSeen = bob.next("message").getString("id");
            }
            alice.request(publish("mixed-tunnel", "text-1", "m1"));
            alice.sendBinary(publishBytes("mixed-tunnel", "m2", payload));
            assertEquals("ack", alice.next(f -> "m2".equals(f.getString("ref"))).getString("type"));
            alice.sendBinary(publishBytes("mixed-tunnel", "m3", new byte[0]));
            assertEquals("ack", alice.next(f -> "m3".equals(f.getString("ref"))).getString("type"));
            given().auth().oauth2(Tokens.publisher("svc")).contentType("application/octet-stream")
                    .body(new byte[] { 0, (byte) 0xFE, '\n' }).post("/api/v1/rooms/mixed-tunnel/messages")
                    .then().statusCode(202);
            alice.request(publish("mixed-tunnel", "text-2", "m5"));
            for (String path : new String[] { "since", "rewind" }) {
                try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
                    JsonObject join = join("mixed-tunnel", "back");
                    bob.request(path.equals("since") ? join.put("since", lastSeen) : join.put("rewind", 5));
                    assertEquals("text-1", bob.next("message").getString("data"), path);
                    assertArrayEquals(payload, bob.next("message").getBinary("payload"), path);
                    JsonObject empty = bob.next("message");
                    assertEquals(true, empty.getBoolean("binary"), path);
                    assertArrayEquals(new byte[0], empty.getBinary("payload"), path);
                    JsonObject rest = bob.next("message");
                    assertEquals("svc", rest.getString("from"), path);
                    assertArrayEquals(new byte[] { 0, (byte) 0xFE, '\n' }, rest.getBinary("payload"), path);
                    assertEquals("text-2", bob.next("message").getString("data"), path);
                }
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
