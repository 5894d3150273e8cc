package io.realtimegateway.sse;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.support.Frames;
import io.realtimegateway.support.SseClient;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * Chat over the HTTP fallback transport: the stream opens with its session, carries the frames a WebSocket gets (the
 * same JSON, a room message's id as the event's {@code id:}; a binary message as its header's fields and its bytes in
 * base64), and the client's posted frames are answered on it.
 */
@QuarkusTest
class ChatOverAnEventStreamTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    ConnectionRegistry registry;

    @Test
    void membersOnAStreamAndOnAWebSocketExchangeTheSameFrames() {
        try (SseClient sse = SseClient.open(base, "chat", Tokens.user("sse-alice"));
                WsClient ws = WsClient.connect(base, "/ws/chat", Tokens.user("ws-bob"))) {
            assertNotNull(sse.session());
            assertEquals("ack", sse.request(join("mixed", "1")).getString("type"));
            ws.request(join("mixed", "1"));

            JsonObject sent = ws.request(publish("mixed", new JsonObject().put("text", "hi from ws"), "2"));
            SseClient.Event received = sse.nextEvent(f -> "message".equals(f.getString("type")));
            assertEquals(sent.getString("id"), received.id(), "the event's id: is the message id");
            assertEquals(sent.getString("id"), received.frame().getString("id"));
            assertEquals("ws-bob", received.frame().getString("from"));
            assertEquals("hi from ws", received.frame().getJsonObject("data").getString("text"));

            JsonObject ack = sse.request(publish("mixed", new JsonObject().put("text", "hi from sse"), "3"));
            assertEquals("ack", ack.getString("type"));
            JsonObject atWs = ws.next("message");
            assertEquals(ack.getString("id"), atWs.getString("id"));
            assertEquals("sse-alice", atWs.getString("from"));
        }
    }

    @Test
    void aBinaryMessageReachesAStreamAsItsHeaderFieldsAndItsBytesInBase64() {
        try (SseClient sse = SseClient.open(base, "chat", Tokens.user("sse-carol"));
                WsClient ws = WsClient.connect(base, "/ws/chat", Tokens.user("ws-dave"))) {
            assertEquals("ack", sse.request(join("bytes", "1")).getString("type"));
            ws.request(join("bytes", "1"));
            byte[] payload = new byte[256];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i; // every byte value, line feeds included
            }
            ws.sendBinary(Frames.publishBytes("bytes", "2", payload));
            JsonObject ack = ws.next(f -> "2".equals(f.getString("ref")));
            assertEquals("ack", ack.getString("type"));

            SseClient.Event received = sse.nextEvent(f -> "message".equals(f.getString("type")));
            assertEquals(ack.getString("id"), received.id(), "a binary message keeps its event id");
            JsonObject frame = received.frame();
            assertEquals(ack.getString("id"), frame.getString("id"));
            assertEquals("ws-dave", frame.getString("from"));
            assertEquals("bytes", frame.getString("room"));
            assertNotNull(frame.getLong("ts"));
            assertArrayEquals(payload, Base64.getDecoder().decode(frame.getString("payload")));
        }
    }

    @Test
    void anArrayOfFramesIsTakenInOrderAndBadFramesAreAnsweredOnTheStream() {
        try (SseClient sse = SseClient.open(base, "chat", Tokens.user("batcher"))) {
            assertEquals(202, sse.post(List.of(join("batch", "1"),
                    publish("batch", new JsonObject().put("n", 1), "2"),
                    new JsonObject().put("type", "nonsense").put("ref", "3"))));
            assertEquals("1", sse.next("ack").getString("ref"));
            assertEquals("2", sse.next("ack").getString("ref"));
            JsonObject error = sse.next("error");
            assertEquals("3", error.getString("ref"));

            assertEquals(202, sse.post("not json"));
            assertEquals("bad_json", sse.next("error").getString("code"));
        }
    }

    @Test
    void aSessionIsUselessToAnyoneButItsUser() {
        try (SseClient sse = SseClient.open(base, "chat", Tokens.user("owner"))) {
            String frame = join("mine", "1").encode();
            assertEquals(403, sse.post(frame, Tokens.user("intruder"), Map.of()), "another user's token");
            assertEquals(401, sse.post(frame, null, Map.of()), "no token");
            assertEquals(401, sse.post(frame, Tokens.signedByAnotherKey("owner"), Map.of()), "a forged token");
            assertEquals(403, sse.post(frame, Tokens.user("owner"), Map.of("Origin", "https://evil.example")),
                    "a cross-site page");
            assertEquals(404, SseClient.postTo(base, "chat", "no-such-session", frame, Tokens.user("owner"),
                    Map.of()));
            assertEquals(404, SseClient.postTo(base, "notifications", sse.session(), frame, Tokens.user("owner"),
                    Map.of()), "a chat session is not a notification session");

            assertEquals(202, sse.post(frame, Tokens.user("owner"), Map.of()), "a fresh token of the same user");
            assertEquals("1", sse.next("ack").getString("ref"));
            assertTrue(sse.pending().isEmpty(), "nothing reached the stream from the refused posts");
        }
    }

    @Test
    void aPostOverTheMessageSizeLimitIs413() {
        try (SseClient sse = SseClient.open(base, "chat", Tokens.user("big"))) {
            sse.request(join("big", "1"));
            String big = publish("big", new JsonObject().put("pad", "x".repeat(70_000)), "2").encode();
            assertEquals(413, sse.post(big));
            String fits = publish("big", new JsonObject().put("pad", "x".repeat(60_000)), "3").encode();
            assertEquals(202, sse.post(fits));
            assertEquals("3", sse.next("ack").getString("ref"));
        }
    }

    @Test
    void theSessionLeavesTheRegistryWhenTheClientGoesAway() {
        SseClient sse = SseClient.open(base, "chat", Tokens.user("leaver"));
        String id = sse.session();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get(id) != null);
        sse.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(id) == null);
        assertEquals(404, SseClient.postTo(base, "chat", id, join("x", "1").encode(), Tokens.user("leaver"),
                Map.of()));
    }
}
