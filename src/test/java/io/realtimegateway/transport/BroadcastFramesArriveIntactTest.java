package io.realtimegateway.transport;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * Broadcast frames are written as shared, pre-encoded bytes straight to each socket: a standard client must read
 * them as ordinary text frames at every length class (the 64-bit length above 65,535 bytes), with multi-byte UTF-8
 * intact, and a burst must reach every subscriber complete and in publish order while writes are batched.
 */
@QuarkusTest
class BroadcastFramesArriveIntactTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void framesOfEveryLengthClassAndMultiByteTextArriveUnchanged() {
        try (WsClient alice = WsClient.connect(base, "/ws/chat", Tokens.user("alice"));
                WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
            alice.request(join("sizes", "j1"));
            bob.request(join("sizes", "j2"));
            // 65,480 characters of data make an inbound frame under the 65,536-byte limit and an outbound frame
            // (with id, sender and time) over 65,535 bytes.
            List<String> texts = List.of("", "short", "é".repeat(70), "x".repeat(300), "héllo wörld ✓ 🎉 日本語",
                    "y".repeat(65_480));
            int ref = 0;
            for (String text : texts) {
                assertEquals("ack", alice.request(publish("sizes", text, "p" + ref++)).getString("type"));
            }
            JsonObject message = null;
            for (String text : texts) {
                message = bob.next("message");
                assertEquals(text, message.getString("data"));
            }
            int largest = message.encode().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(largest > 65_535, "the last frame should need a 64-bit length, was " + largest + " bytes");
        }
    }

    @Test
    void aBurstReachesEverySubscriberCompleteAndInOrder() {
        int subscribers = 20;
        int messages = 2_000;
        List<WsClient> clients = new ArrayList<>();
        try (WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("publisher"))) {
            assertEquals("ack", publisher.request(join("burst", "jp")).getString("type"));
            for (int i = 0; i < subscribers; i++) {
                WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user("sub" + i));
                clients.add(client);
                client.request(join("burst", "j" + i));
            }
            for (int i = 0; i < messages; i++) {
                publisher.send(publish("burst", i, "p" + i)); // no waiting: the server sees a backlog
            }
            for (WsClient client : clients) {
                for (int i = 0; i < messages; i++) {
                    assertEquals(i, client.next("message").getInteger("data"), "message out of order or missing");
                }
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
