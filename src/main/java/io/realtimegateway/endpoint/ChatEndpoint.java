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
import io.realtimegateway.chat.ChatService;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.upgrade.SessionFactory;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/** {@code /ws/chat}: rooms. Maps the connection's life to {@link ChatService}; all callbacks run on the event loop. */
@WebSocket(path = "/ws/chat")
public class ChatEndpoint {

    @Inject
    SessionFactory sessions;

    @Inject
    ChatService chat;

    @Inject
    EndpointErrors errors;

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        sessions.open(connection, Endpoint.CHAT);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(String text, WebSocketConnection connection) {
        ClientSession session = sessions.find(connection);
        if (session != null) {
            session.markAlive();
            chat.onText(session, text);
        }
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer data, WebSocketConnection connection) {
        ClientSession session = sessions.find(connection);
        if (session != null) {
            session.markAlive();
            chat.onBinary(session, data.length());
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
        errors.handle(Endpoint.CHAT, failure, connection);
    }
}
