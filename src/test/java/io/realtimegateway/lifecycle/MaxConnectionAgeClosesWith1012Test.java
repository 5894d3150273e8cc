package io.realtimegateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

@QuarkusTest
@TestProfile(MaxConnectionAgeClosesWith1012Test.OneSecondAge.class)
class MaxConnectionAgeClosesWith1012Test {

    public static class OneSecondAge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.max-connection-age", "1s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void connectionsOlderThanTheMaximumAgeAreToldToReconnect() {
        long start = System.nanoTime();
        try (WsClient chat = WsClient.connect(base, "/ws/chat", Tokens.user("old"));
                WsClient tab = WsClient.connect(base, "/ws/notifications", Tokens.user("old"))) {
            assertEquals(1012, chat.awaitClose());
            assertEquals(1012, tab.awaitClose());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 1000 && millis < 1000 + 100 + 2000, "closed after " + millis + " ms");
        }
    }
}
