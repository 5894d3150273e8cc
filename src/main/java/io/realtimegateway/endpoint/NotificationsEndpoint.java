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
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.notifications.NotificationService;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.upgrade.SessionFactory;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * {@code /ws/notifications}: server push to every connection (every tab) of the token's user. The endpoint takes no
 * client messages but {@code ping} (answered {@code pong}); each other one gets an {@code error} ({@code not_supported})
 * and the connection stays.
 */
@WebSocket(path = "/ws/notifications")
public class NotificationsEndpoint {

    @Inject
    SessionFactory sessions;

    @Inject
    NotificationService notifications;

    @Inject
    EndpointErrors errors;

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        notifications.open(connection);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(String text, WebSocketConnection connection) {
        ClientSession session = sessions.find(connection);
        if (session != null) {
            session.markAlive();
            notifications.onClientText(session, text);
        }
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer data, WebSocketConnection connection) {
        ClientSession session = sessions.find(connection);
        if (session != null) {
            session.markAlive();
            notifications.onClientBinary(session, data.length());
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
        errors.handle(Endpoint.NOTIFICATIONS, failure, connection);
    }
}
