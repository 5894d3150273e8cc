package io.realtimegateway.limits;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.realtimegateway.support.Frames.publishBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * A message over {@code gateway.limits.max-message-size} closes its connection with 1009. A single frame over it is
 * refused by the frame decoder; a message reassembled from fragments over it is reported by Vert.x as an exception
 * recognised by its text (session.EndpointErrors#isMessageTooBig): the two fragmented cases here fail if that text
 * changes.
 */
@QuarkusTest
class OversizedMessageClosesWith1009Test {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aSingleFrameOverTheLimitCloses1009AndOthersAreUnaffected() {
        try (WsClient big = WsClient.connect(base, "/ws/chat", Tokens.user("big"));
                WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("a"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("b"))) {
            a.request(join("r", "1"));
            b.request(join("r", "2"));
            big.socket().writeFrame(WebSocketFrame.textFrame(publish("r", "x".repeat(70_000), null).encode(), true));
            assertEquals(1009, big.awaitClose());
            a.request(publish("r", "fine", "3"));
            assertEquals("fine", b.next("message").getString("data"));
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitCloses1009() {
        try (WsClient big = WsClient.connect(base, "/ws/chat", Tokens.user("big"))) {
            String text = publish("r", "y".repeat(80_000), null).encode();
            big.socket().writeFrame(WebSocketFrame.textFrame(text.substring(0, 40_000), false));
            big.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(text.substring(40_000)), true));
            assertEquals(1009, big.awaitClose());
        }
    }

    @Test
    void aFragmentedBinaryMessageOverTheLimitCloses1009() {
        try (WsClient big = WsClient.connect(base, "/ws/chat", Tokens.user("big"))) {
            big.socket().writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[40_000]), false));
            big.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[40_000]), true));
            assertEquals(1009, big.awaitClose());
        }
    }

    @Test
    void aMessageJustUnderTheLimitIsAccepted() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("a"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("b"))) {
            a.request(join("r2", "1"));
            b.request(join("r2", "2"));
            String payload = "z".repeat(60_000);
            a.request(publish("r2", payload, "3"));
            assertEquals(payload, b.next("message").getString("data"));
        }
    }

    @Test
    void aBinaryPublishOfExactlyTheLimitIsDeliveredAndOneByteMoreCloses1009() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("a"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("b"))) {
            a.request(join("r3", "1"));
            b.request(join("r3", "2"));
            int headerAndLength = publishBytes("r3", "3", new byte[0]).length;
            byte[] payload = new byte[65_536 - headerAndLength];
            payload[payload.length - 1] = 7;
            a.sendBinary(publishBytes("r3", "3", payload));
            assertEquals("ack", a.next(f -> "3".equals(f.getString("ref"))).getString("type"));
            assertArrayEquals(payload, b.next("message").getBinary("payload"));

            a.socket().writeFrame(WebSocketFrame.binaryFrame(
                    Buffer.buffer(publishBytes("r3", "4", new byte[payload.length + 1])), true));
            assertEquals(1009, a.awaitClose());
            assertNull(b.poll(java.time.Duration.ofMillis(200)), "nothing of the refused message arrives");
        }
    }
}
