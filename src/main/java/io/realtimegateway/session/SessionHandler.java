package io.realtimegateway.session;

import io.realtimegateway.message.Endpoint;
import io.vertx.core.buffer.Buffer;

/**
 * The rules of one endpoint, as its {@code @WebSocket} class (and, for chat and notifications, the event streams of
 * the HTTP fallback) calls them: one implementation per endpoint (chat, notifications, echo). What every endpoint does alike (finding the session, liveness, pongs, closes, failures)
 * is not here but in the endpoint's shared base.
 * <p>
 * Threading: every method is called on the connection's event loop, one at a time per connection, and must not
 * block. {@link #onText} and {@link #onBinary} are called only for a connection whose session is still registered
 * (a frame that arrives after the close is dropped before it gets here), after the session was marked alive.
 */
public interface SessionHandler {

    /** The endpoint this handler serves, for logs and metrics. */
    Endpoint endpoint();

    /**
     * A connection was admitted (a WebSocket upgraded, or an event stream opened): create and register its session (or
     * start its recovery first).
     */
    void open(ClientLink link);

    /** One text message of the connection, whole (reassembled if it came in fragments). */
    void onText(ClientSession session, String text);

    /** One binary message of the connection, whole (reassembled if it came in fragments). */
    void onBinary(ClientSession session, Buffer data);
}
