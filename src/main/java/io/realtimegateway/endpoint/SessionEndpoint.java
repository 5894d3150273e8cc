package io.realtimegateway.endpoint;

import jakarta.inject.Inject;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.session.ClientLink;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.EndpointErrors;
import io.realtimegateway.session.SessionHandler;
import io.realtimegateway.upgrade.SessionFactory;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * The callbacks every {@code @WebSocket} endpoint shares, in one place: a message finds the connection's session, marks
 * it alive and goes to the endpoint's {@link SessionHandler} (a message of a connection already closed is dropped); a
 * pong marks it alive; a close takes the session out of every index; a failure goes to {@link EndpointErrors}. A
 * subclass only names its path and its handler, and declares no callback of its own (a second callback of one kind
 * fails the build).
 * <p>
 * quarkus-websockets-next finds callbacks declared on a superclass: its build step walks the {@code @WebSocket} class's
 * superclass chain for each callback annotation ({@code WebSocketProcessor#findCallbackAnnotations}, checked in
 * 3.33.2). Were that to stop, the build would fail (an endpoint must declare at least one callback) and so would every
 * WebSocket test.
 * <p>
 * Threading: every callback is {@code @NonBlocking} and returns when its work is done: it runs on the connection's
 * event loop, one at a time per connection, in the order of the frames. The endpoints therefore declare
 * {@code InboundProcessingMode.CONCURRENT}: websockets-next's serial mode would add a queue per connection (about 1 KB)
 * to order callbacks that never overlap.
 */
public abstract class SessionEndpoint {

    @Inject
    SessionFactory sessions;

    @Inject
    EndpointErrors errors;

    private final SessionHandler handler;

    protected SessionEndpoint(SessionHandler handler) {
        this.handler = handler;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        handler.open(ClientLink.of(connection));
        // What the framework keeps of the upgrade request is needed no more.
        sessions.opened(connection);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(String text, WebSocketConnection connection) {
        ClientSession session = sessions.alive(connection);
        if (session != null) {
            handler.onText(session, text);
        }
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer data, WebSocketConnection connection) {
        ClientSession session = sessions.alive(connection);
        if (session != null) {
            handler.onBinary(session, data);
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
        errors.handle(handler.endpoint(), failure, connection);
    }
}
