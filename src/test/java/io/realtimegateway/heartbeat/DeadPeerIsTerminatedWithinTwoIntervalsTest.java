package io.realtimegateway.heartbeat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.connection.ConnectionRegistry;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

@QuarkusTest
@TestProfile(DeadPeerIsTerminatedWithinTwoIntervalsTest.OneSecondHeartbeat.class)
class DeadPeerIsTerminatedWithinTwoIntervalsTest {

    public static class OneSecondHeartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.heartbeat.interval", "1s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    HeartbeatJob heartbeat;

    @Inject
    ConnectionRegistry registry;

    @Test
    void aPeerThatNeverAnswersIsCutAndAnAnsweringOneIsNot() throws Exception {
        try (WsClient healthy = WsClient.connect(base, "/ws/chat", Tokens.user("healthy"));
                RawWebSocket deaf = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("deaf"))) {
            deaf.awaitOpen();
            long opened = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionCount() == 2);
            // The deaf peer reads nothing from now on, so it answers no ping: the server must drop it.
            assertTrue(deaf.awaitEndOfStream(), "the server did not close the dead peer's TCP connection");
            double seconds = (System.nanoTime() - opened) / 1e9;
            assertTrue(seconds < 2.5, "cut after " + seconds + " s; expected within two 1 s intervals");
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionCount() == 1);

            long round = heartbeat.rounds();
            await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat.rounds() >= round + 3);
            assertFalse(healthy.isClosed(), "a client that answers pings was cut");
            assertTrue(registry.connectionCount() == 1);
        }
    }
}
