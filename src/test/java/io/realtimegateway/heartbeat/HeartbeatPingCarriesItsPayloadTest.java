package io.realtimegateway.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;

/**
 * Every heartbeat ping carries the same payload, though each is written from a buffer of its own (no buffer is held
 * in static state, which a native image's heap may not contain).
 */
@QuarkusTest
@TestProfile(DeadPeerIsTerminatedWithinTwoIntervalsTest.OneSecondHeartbeat.class)
class HeartbeatPingCarriesItsPayloadTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void successivePingsCarryTheSamePayload() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("pinged"))) {
            ws.awaitOpen();
            for (int ping = 0; ping < 2; ping++) {
                RawWebSocket.Frame frame = ws.readFrame();
                while (frame != null && frame.opcode() != 0x9) {
                    frame = ws.readFrame();
                }
                assertNotNull(frame, "closed before ping " + (ping + 1));
                assertEquals("hb", new String(frame.payload(), StandardCharsets.US_ASCII), "ping " + (ping + 1));
                ws.writeFrame(0x8A, frame.payload(), true); // FIN + pong, echoing the payload
            }
        }
    }
}
