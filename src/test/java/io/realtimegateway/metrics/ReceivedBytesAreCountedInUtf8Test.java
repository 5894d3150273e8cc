package io.realtimegateway.metrics;

import static io.realtimegateway.support.Frames.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/** {@code gateway.messages.received.bytes} counts what a text frame took on the wire (UTF-8), not its characters. */
@QuarkusTest
class ReceivedBytesAreCountedInUtf8Test {

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry meters;

    private double receivedBytes() {
        return meters.get("gateway.messages.received.bytes").tag("endpoint", "chat").counter().count();
    }

    @Test
    void aTextFrameCountsItsUtf8Bytes() {
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user("utf8-counter"))) {
            client.request(join("utf8-room", "1"));
            String frame = "{\"type\":\"publish\",\"room\":\"utf8-room\",\"data\":\"日本語 😀 héllo\",\"ref\":\"2\"}";
            double before = receivedBytes();
            client.send(frame);
            assertEquals("ack", client.next(f -> "2".equals(f.getString("ref"))).getString("type"));
            assertEquals(frame.getBytes(StandardCharsets.UTF_8).length, receivedBytes() - before);
        }
    }
}
