package io.realtimegateway.notifications;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.message.Endpoint;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.ClientCommand;
import io.realtimegateway.protocol.CommandParser;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ProtocolException;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.recovery.Recovery;
import io.realtimegateway.security.TokenRefresh;
import io.realtimegateway.session.ClientLink;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.InboundLimiter;
import io.realtimegateway.session.SessionHandler;
import io.realtimegateway.upgrade.SessionFactory;
import io.vertx.core.buffer.Buffer;

/**
 * The rules of {@code /ws/notifications}: the server pushes, the client only listens. Of the client's messages, a
 * {@code ping} is answered with {@code pong} and a {@code refresh} renews the token as on {@code /ws/chat}; any other
 * message, text or binary, gets an {@code error} ({@code not_supported}), and one over the inbound rate a
 * {@code rate_limited} error ({@link InboundLimiter}). The connection stays open.
 * <p>
 * Threading: called on the connection's event loop, one message at a time per connection; never blocks.
 */
@ApplicationScoped
public class NotificationService implements SessionHandler {

    private static final OutboundFrame PUSH_ONLY = ServerFrames.error(null, ErrorCode.NOT_SUPPORTED,
            "this endpoint only pushes notifications; it accepts only ping and refresh");

    @Inject
    GatewayMetrics metrics;

    @Inject
    SessionFactory sessions;

    @Inject
    Recovery recovery;

    @Inject
    InboundLimiter limiter;

    @Inject
    TokenRefresh tokenRefresh;

    @Override
    public Endpoint endpoint() {
        return Endpoint.NOTIFICATIONS;
    }

    /**
     * Opens a notification connection. With {@code ?since=<last id seen>} in the upgrade URL (over the HTTP fallback,
     * or an event stream's {@code Last-Event-ID}; {@link Recovery}), the
     * connection gets {@code {"type":"ack","recovered":true|false}} before any notification, then the notifications
     * published after that id (oldest first, as fast as the client reads them), then live ones; a malformed
     * {@code since} is answered with an {@code error} ({@code invalid_field}) and live delivery only.
     */
    @Override
    public void open(ClientLink link) {
        String since = link.parameter("since");
        if (since == null) {
            sessions.open(link, Endpoint.NOTIFICATIONS);
            return;
        }
        ClientSession session = sessions.create(link, Endpoint.NOTIFICATIONS);
        StreamId id = StreamId.parse(since);
        if (id == null) {
            sessions.register(session);
            session.send(ServerFrames.error(null, ErrorCode.INVALID_FIELD,
                    "query parameter 'since' must be a notification id as received in 'id' (epoch:offset)"));
            return;
        }
        recovery.join(session, Topic.user(session.user()), id, () -> sessions.register(session),
                recovered -> session.send(ServerFrames.recoveryAck(null, null, recovered)));
    }

    /**
     * Answers a client text frame: {@code pong} to a {@code ping}, a token {@code refresh} as on {@code /ws/chat}
     * ({@link TokenRefresh}), {@code not_supported} to anything else.
     */
    @Override
    public void onText(ClientSession session, String text) {
        metrics.messageReceived(Endpoint.NOTIFICATIONS, text);
        if (!limiter.admit(session, text)) {
            return;
        }
        ClientCommand command = null;
        try {
            command = CommandParser.parse(text);
        } catch (ProtocolException e) {
            // Not even a valid command: the answer is the same as for any other frame.
        }
        if (command instanceof ClientCommand.Refresh refresh) {
            tokenRefresh.refresh(session, refresh);
            return;
        }
        session.send(command instanceof ClientCommand.Ping ping ? ServerFrames.pong(ping.ref()) : PUSH_ONLY);
    }

    /** Answers a client binary frame: {@code not_supported}. */
    @Override
    public void onBinary(ClientSession session, Buffer data) {
        metrics.messageReceived(Endpoint.NOTIFICATIONS, data.length());
        if (limiter.admit(session)) {
            session.send(PUSH_ONLY);
        }
    }
}
