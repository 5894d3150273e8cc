package io.realtimegateway.chat;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WindowedPublishing;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * {@code "rewind": n} on join, end to end through real clients, with the in-memory history:
 * {@link RedisRewindOnJoinTest} runs the same tests with the Redis broker and its Redis Streams history.
 */
@QuarkusTest
class RewindOnJoinTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aJoinWithRewindGetsTheLastMessagesInOrderThenLiveOnes() {
        try (WsClient alice = WsClient.connect(base, "/ws/chat", Tokens.user("alice"))) {
            alice.request(join("gallery", "1"));
            for (int i = 1; i <= 10; i++) {
                alice.request(publish("gallery", "m" + i, "p" + i));
            }
            try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
                JsonObject ack = bob.request(join("gallery", "2").put("rewind", 3));
                assertEquals("ack", ack.getString("type"));
                assertEquals(3, ack.getInteger("rewound"));
                assertNull(ack.getValue("recovered"), "a rewind is not a recovery");
                for (int i = 8; i <= 10; i++) {
                    assertEquals("m" + i, bob.next("message").getString("data"));
                }
                alice.request(publish("gallery", "live", "l"));
                assertEquals("live", bob.next("message").getString("data"));
            }
        }
    }

    @Test
    void aRewindLongerThanTheHistoryGetsWhatIsRetained() {
        try (WsClient alice = WsClient.connect(base, "/ws/chat", Tokens.user("alice"))) {
            alice.request(join("small-room", "1"));
            for (int i = 1; i <= 4; i++) {
                alice.request(publish("small-room", "m" + i, "p" + i));
            }
            try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
                assertEquals(4, bob.request(join("small-room", "2").put("rewind", 100)).getInteger("rewound"));
                for (int i = 1; i <= 4; i++) {
                    assertEquals("m" + i, bob.next("message").getString("data"));
                }
                assertEquals(0, bob.request(join("empty-room", "3").put("rewind", 5)).getInteger("rewound"),
                        "a room without history");
            }
        }
    }

    @Test
    void sinceWinsOverRewind() {
        try (WsClient alice = WsClient.connect(base, "/ws/chat", Tokens.user("alice"))) {
            alice.request(join("both", "1"));
            String first = alice.request(publish("both", "m1", "p1")).getString("id");
            alice.request(publish("both", "m2", "p2"));
            alice.request(publish("both", "m3", "p3"));
            try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
                JsonObject ack = bob.request(join("both", "2").put("since", first).put("rewind", 1));
                assertEquals(true, ack.getBoolean("recovered"));
                assertNull(ack.getValue("rewound"));
                assertEquals("m2", bob.next("message").getString("data"));
                assertEquals("m3", bob.next("message").getString("data"));
            }
        }
    }

    @Test
    void invalidRewindsAreRefusedAndDoNotJoin() {
        try (WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
            for (Object bad : new Object[] { 0, 101, -3, 2.5, "3", true }) {
                JsonObject error = bob.request(join("strict", "bad").put("rewind", bad));
                assertEquals("error", error.getString("type"), String.valueOf(bad));
                assertEquals("invalid_field", error.getString("code"), String.valueOf(bad));
                assertTrue(error.getString("message").contains("rewind"), error.encode());
            }
            assertEquals("not_member", bob.request(publish("strict", "x", "p")).getString("code"));
        }
    }

    @Test
    void noGapAndNoDuplicateAtTheSeamUnderConcurrentPublishing() throws Exception {
        int total = 3000;
        try (WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("firehose"));
                WsClient watcher = WsClient.connect(base, "/ws/chat", Tokens.user("watcher"))) {
            publisher.request(join("rewind-busy", "1"));
            watcher.request(join("rewind-busy", "2"));
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                    () -> WindowedPublishing.publish(publisher, "rewind-busy", total, 100));
            // Join with rewind while the publisher is in the middle of its stream.
            while (watcher.next("message").getInteger("data") < 500) {
                // reading on
            }
            try (WsClient late = WsClient.connect(base, "/ws/chat", Tokens.user("late"))) {
                JsonObject ack = late.request(join("rewind-busy", "3").put("rewind", 50));
                assertEquals(50, ack.getInteger("rewound"));
                publishing.get(30, TimeUnit.SECONDS);
                List<long[]> got = new ArrayList<>(); // offset, data
                do {
                    JsonObject m = late.next("message");
                    got.add(new long[] { StreamId.parse(m.getString("id")).offset(), m.getInteger("data") });
                } while (got.get(got.size() - 1)[1] < total);
                for (int i = 1; i < got.size(); i++) {
                    if (got.get(i)[0] != got.get(i - 1)[0] + 1 || got.get(i)[1] != got.get(i - 1)[1] + 1) {
                        long missing = got.get(i - 1)[0] + 1;
                        int later = -1;
                        for (int j = i; j < got.size() && later < 0; j++) {
                            later = got.get(j)[0] == missing ? j : -1;
                        }
                        fail("gap, duplicate or reorder after offset " + got.get(i - 1)[0] + " (received " + i
                                + "): then " + got.subList(i, Math.min(got.size(), i + 5)).stream()
                                        .map(pair -> pair[0] + "=" + pair[1]).toList()
                                + "; offset " + missing + (later < 0 ? " never came" : " came at " + later) + " of "
                                + got.size());
                    }
                }
                int received = got.size();
                assertTrue(received >= 50, "the rewind and then everything after it: " + received);
                assertFalse(late.pending().stream().anyMatch(f -> "message".equals(f.getString("type"))),
                        "a message arrived twice");
            }
        }
    }
}
