package io.realtimegateway.limits;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.realtimegateway.support.Frames.publishBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

@QuarkusTest
@TestProfile(InboundRateIsLimitedTest.SlowRate.class)
class InboundRateIsLimitedTest {

    public static class SlowRate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.inbound.rate", "0.5", "gateway.inbound.burst", "5",
                    "gateway.inbound.max-violations", "3");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aFloodIsAnsweredRateLimitedThenClosedWith1008AndOthersAreUnaffected() {
        try (WsClient flood = WsClient.connect(base, "/ws/chat", Tokens.user("flood"));
                WsClient calm = WsClient.connect(base, "/ws/chat", Tokens.user("calm"))) {
            calm.request(join("quiet", "c1"));
            for (int i = 0; i < 5; i++) {
                assertEquals("ack", flood.request(join("r" + i, "ok" + i)).getString("type"), "within the burst");
            }
            flood.send(join("over", "x").encode());
            io.vertx.core.json.JsonObject refused = flood.next("error");
            assertEquals("rate_limited", refused.getString("code"));
            assertEquals("x", refused.getString("ref"), "the refusal answers the frame's ref, so a client's request settles");
            flood.send(join("over", "y").encode());
            flood.send(join("over", "z").encode());
            assertEquals(1008, flood.awaitClose(), "a client that keeps flooding is closed");

            calm.request(join("quiet2", "c2"));
            assertFalse(calm.isClosed());
            assertEquals("ack", calm.request(publish("quiet", "still fine", "c3")).getString("type"));
        }
    }

    @Test
    void binaryFramesCountTowardTheRateAndARefusedOneIsAnsweredWithItsHeadersRef() {
        try (WsClient flood = WsClient.connect(base, "/ws/chat", Tokens.user("binflood"))) {
            assertEquals("ack", flood.request(join("bin-rate", "j")).getString("type"));
            for (int i = 0; i < 4; i++) {
                flood.sendBinary(publishBytes("bin-rate", "ok" + i, new byte[] { 1 }));
                String ref = "ok" + i;
                assertEquals("ack", flood.next(f -> ref.equals(f.getString("ref"))).getString("type"),
                        "within the burst");
            }
            flood.sendBinary(publishBytes("bin-rate", "over", new byte[] { 2 }));
            io.vertx.core.json.JsonObject refused = flood.next("error");
            assertEquals("rate_limited", refused.getString("code"));
            assertEquals("over", refused.getString("ref"), "the refusal answers the header's ref");
        }
    }

    @Test
    void pingsCountTowardTheRateAndAPingFloodIsClosedWith1008AfterItsPongs() throws Exception {
        try (RawWebSocket pinger = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("pinger"))) {
            byte[] payload = "are you there".getBytes(StandardCharsets.UTF_8);
            int pongs = 0;
            // The burst (5) and the violations allowed (3), then one more: every ping is answered until the close.
            for (int i = 0; i < 9; i++) {
                pinger.writeFrame(0x89, payload, true);
            }
            while (true) {
                RawWebSocket.Frame frame = pinger.readFrame();
                if (frame == null || frame.opcode() == 0x8) {
                    assertEquals(1008, frame == null ? 1006 : frame.closeCode(), "closed for the rate");
                    break;
                }
                if (frame.opcode() == 0xA) {
                    assertArrayEquals(payload, frame.payload(), "a pong echoes its ping");
                    pongs++;
                }
            }
            assertTrue(pongs >= 5, "pings within the rate were answered: " + pongs);
        }
    }
}
