package io.realtimegateway.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.lifecycle.GracefulDrain;
import io.realtimegateway.support.SseClient;
import io.realtimegateway.support.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * The drain ends an event stream as it closes a WebSocket: a final {@code close} event with 1001 and the reconnect hint,
 * then the end of the stream; a new stream is refused with 503 and {@code Retry-After}. (Its own application: the
 * drain cannot be undone.)
 */
@QuarkusTest
@TestProfile(DrainEndsEveryStreamWithItsHintTest.Draining.class)
class DrainEndsEveryStreamWithItsHintTest {

    public static class Draining implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.drain.spread", "1s", "gateway.shutdown.drain-timeout", "5s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    GracefulDrain drain;

    @Test
    void aDrainSendsEachStreamAFinal1001EventWithItsHintThenEndsIt() {
        try (SseClient chat = SseClient.open(base, "chat", Tokens.user("d1"));
                SseClient notifications = SseClient.open(base, "notifications", Tokens.user("d2"))) {
            Thread drainer = new Thread(drain::drain, "test-drain");
            drainer.start();
            for (SseClient stream : new SseClient[] { chat, notifications }) {
                JsonObject close = stream.next("close");
                assertEquals(1001, close.getInteger("code"));
                long hint = new JsonObject(close.getString("reason")).getLong("retryAfterMs");
                assertTrue(hint >= 0 && hint <= 1000, "a hint within the spread: " + hint);
                stream.awaitEnd();
            }
            assertEquals(503, SseClient.attempt(base, "chat", Tokens.user("d3"), "", Map.of()).status());
        }
    }
}
