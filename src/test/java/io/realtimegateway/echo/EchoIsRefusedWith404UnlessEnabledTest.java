package io.realtimegateway.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;

/**
 * With {@code gateway.echo.enabled=false} (the production default), an upgrade to {@code /ws/echo} gets the same
 * {@code 404} as a path without an endpoint, with or without a token, and {@code /ws/chat} is unaffected.
 */
@QuarkusTest
@TestProfile(EchoIsRefusedWith404UnlessEnabledTest.EchoOff.class)
class EchoIsRefusedWith404UnlessEnabledTest {

    public static class EchoOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.echo.enabled", "false");
        }
    }

    @TestHTTPResource("/")
    URI base;

    private int upgrade(String pathAndQuery) throws Exception {
        try (RawWebSocket raw = RawWebSocket.tcp(base)) {
            raw.writeAscii("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nOrigin: http://localhost\r\n\r\n");
            return raw.readStatus();
        }
    }

    @Test
    void echoUpgradeIs404LikeAnUnknownPath() throws Exception {
        String token = "?access_token=" + Tokens.user("echo-off");
        assertEquals(404, upgrade("/ws/no-such-endpoint" + token), "an unknown path");
        assertEquals(404, upgrade("/ws/echo" + token));
        assertEquals(404, upgrade("/ws/echo"), "without a token: 404 before the token check's 401");
        assertEquals(101, upgrade("/ws/chat" + token), "chat is served");
    }
}
