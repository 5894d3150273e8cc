package io.realtimegateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

@QuarkusTest
class ExpiredTokenClosesWith4001Test {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aConnectionIsClosedWith4001AtTheInstantItsTokenExpires() {
        // JWT exp has a resolution of one second: expire at the start of a second at least 2 s away.
        Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3);
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.expiringAt("short-lived", exp))) {
            assertEquals(4001, client.awaitClose());
            long lateByMillis = System.currentTimeMillis() - exp.toEpochMilli();
            assertTrue(lateByMillis >= -50, "closed " + -lateByMillis + " ms before the expiry");
            assertTrue(lateByMillis < 1000, "closed " + lateByMillis + " ms after the expiry, not at it");
        }
    }
}
