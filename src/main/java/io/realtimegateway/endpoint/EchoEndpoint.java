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
import io.realtimegateway.chat.EchoService;
import io.realtimegateway.chat.SessionFactory;
import io.realtimegateway.connection.ClientSession;
import io.realtimegateway.connection.Endpoint;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * {@code /ws/echo}: every text and binary message comes back unchanged, for the Autobahn|Testsuite
 * (docs/conformance.md). Served only with {@code gateway.echo.enabled=true} ({@link EchoUpgradeCheck}); the upgrade
 * checks, limits, frame writer and frame-error handling are those of {@code /ws/chat}. All callbacks run on the event
 * loop.
 */
@WebSocket(path = "/ws/echo", endpointId = EchoEndpoint.ID)
public class EchoEndpoint {

    /** The endpoint id that {@link EchoUpgradeCheck} applies to. */
    static final String ID = "echo";

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
