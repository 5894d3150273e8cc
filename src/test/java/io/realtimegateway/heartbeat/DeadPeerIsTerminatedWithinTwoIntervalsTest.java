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
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.support.Frames;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

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
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionCount() == 2);
            healthy.request(Frames.join("porch", "1").put("presence", true));
            deaf.sendText(Frames.join("porch", "2").encode());
            while (!deaf.readFrame().text().contains("\"ack\"")) {
                // a ping may come first
            }
            long registeredAt = heartbeat.roundsStarted();
            // The deaf peer reads nothing from now on, so it answers no ping: the server must drop it. The bound is
            // counted in heartbeat rounds, not wall time, so a loaded machine that runs the scheduler late cannot
            // fail it: of the rounds begun after its last message (the join), the first pings, the next one finds no
            // answer and terminates. (A round under way while the join arrived may have checked the peer before it;
            // it is not counted.)
            assertTrue(deaf.awaitEndOfStream(), "the server did not close the dead peer's TCP connection");
            long rounds = heartbeat.rounds() - registeredAt;
            assertTrue(rounds <= 2, "cut after " + rounds + " heartbeat rounds; expected within two");
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionCount() == 1);
            JsonObject left = healthy.next(f -> "presence_diff".equals(f.getString("type"))
                    && f.getJsonArray("left").contains("deaf"));
            assertTrue(left.getJsonArray("joined").isEmpty(), "the cut peer left the room's presence: " + left);

            long round = heartbeat.rounds();
            await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat.rounds() >= round + 3);
            assertFalse(healthy.isClosed(), "a client that answers pings was cut");
            assertTrue(registry.connectionCount() == 1);
        }
    }
}
