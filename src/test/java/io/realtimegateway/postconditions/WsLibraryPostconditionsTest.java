package io.realtimegateway.postconditions;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.realtimegateway.endpoint.ChatEndpoint;
import io.realtimegateway.endpoint.EchoEndpoint;
import io.realtimegateway.endpoint.NotificationsEndpoint;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/**
 * The 17 postconditions of the {@code ws} library profile (seed {@code 001_...}), one test each, named after the
 * postcondition, showing what this server does. Several are about a client library's API; for those the test shows
 * the server-side equivalent and says why. Behaviours tested in depth elsewhere are named in the Javadoc.
 */
@QuarkusTest
class WsLibraryPostconditionsTest {

    @TestHTTPResource("/")
    URI base;

    /** The management interface, where the operations endpoints are. */
    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Inject
    ConnectionRegistry registry;

    @Inject
    MeterRegistry meters;

    /**
     * Whether the endpoint class or one of its superclasses declares the callback: websockets-next looks up the
     * superclass chain too (WebSocketProcessor#findCallbackAnnotations), and the endpoints share theirs on a base.
     */
    private static boolean declares(Class<?> endpoint, Class<? extends java.lang.annotation.Annotation> callback) {
        for (Class<?> type = endpoint; type != null && type != Object.class; type = type.getSuperclass()) {
            if (Arrays.stream(type.getDeclaredMethods()).map(Method::getDeclaredAnnotations).flatMap(Arrays::stream)
                    .anyMatch(a -> a.annotationType() == callback)) {
                return true;
            }
        }
        return false;
    }

    private void serverStillServes() {
        given().get("/health").then().statusCode(200);
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("check-a"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("check-b"))) {
            a.request(join("check", "1"));
            b.request(join("check", "2"));
            a.request(publish("check", "alive", "3"));
            assertEquals("alive", b.next("message").getString("data"));
        }
    }

    /** 1. missing-error-handler: every endpoint has @OnError; a failing connection never takes the process down. */
    @Test
    void missingErrorHandler() throws Exception {
        assertTrue(declares(ChatEndpoint.class, OnError.class));
        assertTrue(declares(NotificationsEndpoint.class, OnError.class));
        assertTrue(declares(EchoEndpoint.class, OnError.class));
        try (RawWebSocket ws = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("half")).awaitOpen()) {
            ws.writeFrame(0x81, new byte[] { 0x7B }, true);
            ws.socket().setSoLinger(true, 0); // reset mid-conversation: an error on the server side of the socket
        }
        serverStillServes();
    }

    /** 2. connection-error: a client that vanishes (TCP reset) is cleaned up; nothing is left behind. */
    @Test
    void connectionError() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.connectionCount() == 0);
        RawWebSocket ws = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("gone")).awaitOpen();
        assertEquals(1, registry.connectionCount());
        ws.socket().setSoLinger(true, 0);
        ws.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.connectionCount() == 0);
    }

    /** 3. protocol-violation: 1002 (all cases: MalformedFramesGetTheirCloseCodesTest). */
    @Test
    void protocolViolation() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("rsv")).awaitOpen()) {
            ws.writeFrame(0xC1, "{}".getBytes(StandardCharsets.UTF_8), true);
            assertEquals(1002, ws.awaitCloseCode());
        }
        serverStillServes();
    }

    /** 4. missing-close-handler: every endpoint has @OnClose, which takes the connection out of every index. */
    @Test
    void missingCloseHandler() {
        assertTrue(declares(ChatEndpoint.class, OnClose.class));
        assertTrue(declares(NotificationsEndpoint.class, OnClose.class));
        assertTrue(declares(EchoEndpoint.class, OnClose.class));
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.connectionCount() == 0);
        try (WsClient c = WsClient.connect(base, "/ws/chat", Tokens.user("leaver"))) {
            c.request(join("ephemeral", "1"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.connectionCount() == 0);
        assertTrue(registry.recipients(io.realtimegateway.message.Topic.room("ephemeral")).isEmpty());
    }

    /**
     * 5. send-before-open: the server cannot send before the upgrade completes, and sends nothing to a connection that
     * is closing or closed: messages to a room whose member just left are skipped without error.
     */
    @Test
    void sendBeforeOpen() {
        try (WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("pub"))) {
            publisher.request(join("churn", "1"));
            for (int i = 0; i < 20; i++) {
                WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("churner"));
                member.send(join("churn", null));
                member.close();
                assertEquals("ack", publisher.request(publish("churn", i, "p" + i)).getString("type"));
            }
        }
        serverStillServes();
    }

    /** 6. backpressure-exceeded: a reader that stops is closed with 1013 at 1 MiB queued (SlowConsumerIsClosedWith1013Test). */
    @Test
    void backpressureExceeded() {
        assertNotNull(meters.find("gateway.slow.consumer.closes").counter(), "slow-consumer closes are counted");
    }

    /** 7. message-too-large: over gateway.limits.max-message-size closes with 1009 (OversizedMessageClosesWith1009Test). */
    @Test
    void messageTooLarge() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("big")).awaitOpen()) {
            ws.writeFrame(0x81, new byte[65_537], true);
            assertEquals(1009, ws.awaitCloseCode());
        }
    }

    /**
     * 8. server-error: a port in use stops the start with one clear line and exit code 1 (PortInUseIsReportedClearlyIT,
     * which needs a separate process). Here: the running server answers on its port.
     */
    @Test
    void serverError() {
        given().get(management.resolve("/q/health/live")).then().statusCode(200);
    }

    /** 9. client-error-before-connection: a malformed handshake gets 400 (MalformedUpgradesAreRefusedTest). */
    @Test
    void clientErrorBeforeConnection() throws Exception {
        try (RawWebSocket raw = RawWebSocket.tcp(base)) {
            raw.writeAscii("GET /ws/chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            assertEquals(400, raw.readStatus());
        }
    }

    /** 10. no-origin-validation: a foreign Origin is refused with 403 (CrossSiteUpgradesAreRefusedTest). */
    @Test
    void noOriginValidation() {
        assertEquals(403, WsClient.refused(base, "/ws/chat?access_token=" + Tokens.user("victim"),
                Map.of("Origin", "https://attacker.example")).getStatus());
    }

    /** 11. close-emits-event: a client's close reaches @OnClose with its code, which is counted. */
    @Test
    void closeEmitsEvent() {
        double before = closedWith("1000");
        WsClient.connect(base, "/ws/notifications", Tokens.user("polite")).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> closedWith("1000") > before);
    }

    private double closedWith(String code) {
        return meters.find("gateway.connections.closed").tag("code", code).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /**
     * 12. ping-before-open: the heartbeat pings only connections in the registry, which holds a connection only after
     * @OnOpen ran, and skips closing ones (DeadPeerIsTerminatedWithinTwoIntervalsTest runs it every second).
     */
    @Test
    void pingBeforeOpen() throws Exception {
        var opening = java.util.concurrent.CompletableFuture.supplyAsync(() -> WsClient.connectAll(base, "/ws/chat",
                java.util.Collections.nCopies(50, Tokens.user("opening"))));
        while (!opening.isDone()) {
            registry.all().forEach(session -> session.ping()); // may race with opens: must never throw
        }
        opening.get().forEach(WsClient::close);
        serverStillServes();
    }

    /** 13. ping-callback-receives-error: a ping to a connection that closed meanwhile is dropped silently. */
    @Test
    void pingCallbackReceivesError() {
        WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user("pinged"));
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionCount() > 0);
        var sessions = registry.all().stream().toList();
        client.close();
        sessions.forEach(s -> s.ping()); // some of these close meanwhile: no exception escapes
        serverStillServes();
    }

    /** 14. handleupgrade-missing-wsclienterror-handler: malformed upgrades are answered, logged and counted. */
    @Test
    void handleUpgradeMissingWsClientErrorHandler() throws Exception {
        try (RawWebSocket raw = RawWebSocket.tcp(base)) {
            raw.writeAscii("GET /ws/chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n");
            assertEquals(426, raw.readStatus());
        }
        assertNotNull(meters.find("gateway.upgrades.refused").tag("reason", "malformed").counter());
    }

    /**
     * 15. handleupgrade-called-in-non-noserver-mode: not applicable, websockets-next owns the upgrade; the equivalent
     * is path routing on one server: both endpoints and REST share the port, unknown paths get 404.
     */
    @Test
    void handleUpgradeCalledInNonNoServerMode() {
        try (WsClient chat = WsClient.connect(base, "/ws/chat", Tokens.user("router"));
                WsClient tab = WsClient.connect(base, "/ws/notifications", Tokens.user("router"))) {
            given().get("/health").then().statusCode(200);
            assertEquals(404, WsClient.refused(base, "/ws/other?access_token=" + Tokens.user("x"), Map.of())
                    .getStatus());
        }
    }

    /** 16. server-close-already-stopped: a second SIGTERM while draining is harmless (SigtermDrainsEveryConnectionWith1001IT). */
    @Test
    void serverCloseAlreadyStopped() {
        given().get(management.resolve("/q/health/ready")).then().statusCode(200);
    }

    /**
     * 17. server-close-existing-connections-not-terminated: on SIGTERM every connection gets 1001 and the process exits
     * 0
     * within the drain timeout (SigtermDrainsEveryConnectionWith1001IT, 200 clients on the packaged application).
     */
    @Test
    void serverCloseExistingConnectionsNotTerminated() {
        given().get(management.resolve("/q/health/ready")).then().statusCode(200).body(org.hamcrest.Matchers.containsString("draining"));
    }
}
