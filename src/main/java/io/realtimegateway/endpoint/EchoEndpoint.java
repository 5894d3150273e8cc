package io.realtimegateway.endpoint;

import jakarta.inject.Inject;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.echo.EchoService;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.upgrade.EchoUpgradeCheck;
import io.realtimegateway.upgrade.SessionFactory;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * {@code /ws/echo}: every text and binary message comes back unchanged, for the Autobahn|Testsuite
 * (docs/conformance.md). Served only with {@code gateway.echo.enabled=true} ({@link EchoUpgradeCheck}); the upgrade
 * checks, limits, frame writer and frame-error handling are those of {@code /ws/chat}. All callbacks run on the event
 * loop.
 */
@WebSocket(path = "/ws/echo", endpointId = Endpoint.ECHO_ID)
public class EchoEndpoint {

    /** The endpoint id that {@link EchoUpgradeCheck} applies to. */

    @Inject
    SessionFactory sessions;

    @Inject
    EchoService echo;

    @Inject
    EndpointErrors errors;

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        sessions.open(connection, Endpoint.ECHO);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(String text, WebSocketConnection connection) {
        ClientSession session = sessions.find(connection);
        if (session != null) {
            session.markAlive();
            echo.onText(session, text);
        }
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer data, WebSocketConnection connection) {
        ClientSession session = sessions.find(connection);
        if (session != null) {
            session.markAlive();
            echo.onBinary(session, data.getBytes());
        }
    }

    @OnPongMessage
    @NonBlocking
    public void onPong(Buffer data, WebSocketConnection connection) {
        sessions.alive(connection);
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        sessions.close(connection);
    }

    @OnError
    @NonBlocking
    public void onError(Throwable failure, WebSocketConnection connection) {
        errors.handle(Endpoint.ECHO, failure, connection);
    }
}
