package io.realtimegateway.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/** Browsers cannot see WebSocket pings; the application-level ping lets realtime.js tell a dead server from a quiet one. */
@QuarkusTest
class ApplicationPingIsAnsweredTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void bothEndpointsAnswerPingWithPong() {
        for (String path : new String[] { "/ws/chat", "/ws/notifications" }) {
            try (WsClient client = WsClient.connect(base, path, Tokens.user("pinger"))) {
                JsonObject pong = client.request(new JsonObject().put("type", "ping").put("ref", "p1"));
                assertEquals("pong", pong.getString("type"), path);
                client.send("{\"type\":\"ping\"}");
                assertEquals("pong", client.next("pong").getString("type"), path);
            }
        }
    }
}
