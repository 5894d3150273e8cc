package io.realtimegateway.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.connection.ClientSession;
import io.realtimegateway.connection.Endpoint;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ServerFrames;

/**
 * The rules of {@code /ws/notifications}: the server pushes, the client only listens. Any client message is answered
 * with an {@code error} ({@code not_supported}); the connection stays open. Non-blocking.
 */
@ApplicationScoped
public class NotificationService {

    private static final OutboundFrame PUSH_ONLY = ServerFrames.error(null, ErrorCode.NOT_SUPPORTED,
            "this endpoint only pushes notifications; it accepts no messages");

    @Inject
    GatewayMetrics metrics;

    public void onClientMessage(ClientSession session, int bytes) {
        metrics.messageReceived(Endpoint.NOTIFICATIONS, bytes);
        session.send(PUSH_ONLY);
    }
}
