package io.realtimegateway.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.support.Frames;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/**
 * The guard of {@link HandshakeLeftovers}: it fails when a framework update renames or moves a field the gateway
 * clears, so that the per-connection footprint cannot grow back unnoticed. Over a real connection: once it is open,
 * the server keeps neither the token (in the URI) nor the request headers nor the routing context, and the connection
 * still works both ways.
 */
@QuarkusTest
class HandshakeLeftoversAreReleasedTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    OpenConnections connections;

    @Test
    void everyFieldTheReleaseReliesOnIsFound() {
        assertTrue(HandshakeLeftovers.supported(),
                "a field HandshakeLeftovers clears is gone: check the framework's WebSocket classes (see its Javadoc)");
    }

    @Test
    void anOpenConnectionKeepsNoTokenNoHeadersAndNoRoutingContext() {
        String user = "leftovers-" + System.nanoTime();
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user(user));
                WsClient other = WsClient.connect(base, "/ws/chat", Tokens.user(user + "-other"))) {
            client.request(Frames.join("leftovers", "1"));
            other.request(Frames.join("leftovers", "1"));
            WebSocketConnection connection = await().atMost(Duration.ofSeconds(10))
                    .until(() -> connections.stream().filter(c -> c.handshakeRequest().path().equals("/ws/chat"))
                            .filter(c -> HandshakeLeftovers.keptUri(c) != null)
                            .filter(c -> !HandshakeLeftovers.keptUri(c).contains("access_token")).findFirst()
                            .orElse(null), c -> c != null);
            assertEquals("/ws/chat", HandshakeLeftovers.keptUri(connection));
            assertNull(connection.handshakeRequest().query(), "the query (with the token) is kept");
            assertTrue(connection.handshakeRequest().headers().isEmpty(), "the headers are kept");
            assertNull(HandshakeLeftovers.keptRoutingContext(connection), "the routing context is kept");
            assertFalse(connections.stream().anyMatch(c -> String.valueOf(HandshakeLeftovers.keptUri(c))
                    .contains("access_token")), "a connection still keeps its token");

            // The connections still work both ways after the release.
            assertNotNull(client.request(Frames.publish("leftovers", "still here", "2")));
            assertEquals("still here", other.next("message").getString("data"));
            assertNotNull(other.request(Frames.publish("leftovers", "and here", "2")));
            assertEquals("and here", client.next("message").getString("data"));
        }
    }
}
