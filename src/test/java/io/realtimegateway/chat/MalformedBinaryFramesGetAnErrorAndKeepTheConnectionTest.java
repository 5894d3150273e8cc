package io.realtimegateway.chat;

import static io.realtimegateway.support.Frames.binaryFrame;
import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.realtimegateway.support.Frames.publishBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * A binary frame on {@code /ws/chat} that does not have the protocol's shape (2-byte header length, JSON header,
 * payload) or whose header is not a valid publish gets a JSON {@code error} that says what is wrong, with the header's
 * {@code ref} when it could be read; the connection stays open and nobody else sees anything.
 */
@QuarkusTest
class MalformedBinaryFramesGetAnErrorAndKeepTheConnectionTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyMalformedBinaryFrameIsAnsweredAndTheConnectionStaysUsable() {
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user("binmallory"));
                WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("binmember"))) {
            client.request(join("bin-calm", "j1"));
            member.request(join("bin-calm", "j2"));

            assertError(client, new byte[0], "bad_binary_frame", null);
            assertError(client, new byte[] { 0 }, "bad_binary_frame", null);
            assertError(client, new byte[] { 0, 10, '{', '}' }, "bad_binary_frame", null);
            assertError(client, new byte[] { (byte) 0xFF, (byte) 0xFF, 1, 2, 3 }, "bad_binary_frame", null);
            assertError(client, binaryFrame(new byte[0], new byte[] { 1 }), "bad_json", null);
            assertError(client, binaryFrame(ascii("not json"), new byte[] { 1 }), "bad_json", null);
            assertError(client, binaryFrame(new byte[] { '"', (byte) 0xC3, '"' }, new byte[0]), "bad_json", null);
            assertError(client, binaryFrame(ascii("[1,2]"), new byte[0]), "not_object", null);
            assertError(client, binaryFrame(ascii("{\"room\":\"bin-calm\",\"ref\":\"r1\"}"), new byte[0]),
                    "missing_field", "r1");
            assertError(client, binaryFrame(ascii("{\"type\":\"join\",\"room\":\"bin-calm\",\"ref\":\"r2\"}"),
                    new byte[0]), "unknown_type", "r2");
            assertError(client, binaryFrame(ascii("{\"type\":\"publish\",\"ref\":\"r3\"}"), new byte[0]),
                    "missing_field", "r3");
            assertError(client, binaryFrame(ascii("{\"type\":\"publish\",\"room\":\"no spaces\",\"ref\":\"r4\"}"),
                    new byte[0]), "invalid_room", "r4");
            assertError(client, publishBytes("not-joined", "r5", new byte[] { 1 }), "not_member", "r5");

            // Still open and served, and the member saw none of it.
            client.sendBinary(publishBytes("bin-calm", "ok", new byte[] { 42 }));
            assertEquals("ack", client.next(f -> "ok".equals(f.getString("ref"))).getString("type"));
            JsonObject message = member.next("message");
            assertArrayEquals(new byte[] { 42 }, message.getBinary("payload"));
            member.request(publish("bin-calm", "still here", "p"));
            assertEquals("still here", client.next("message").getString("data"));
            assertFalse(client.isClosed());
            assertTrue(member.pending().stream().noneMatch(f -> "error".equals(f.getString("type"))));
        }
    }

    private static void assertError(WsClient client, byte[] frame, String code, String ref) {
        client.sendBinary(frame);
        JsonObject error = client.next("error");
        assertEquals(code, error.getString("code"), error.encode());
        assertEquals(ref, error.getString("ref"), error.encode());
        assertNull(error.getBoolean("binary"), "errors are JSON text frames");
        assertFalse(error.getString("message").isBlank());
        assertNull(client.poll(Duration.ofMillis(0)), "one answer per frame");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
