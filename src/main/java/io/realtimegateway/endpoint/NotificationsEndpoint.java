package io.realtimegateway.endpoint;

import jakarta.inject.Inject;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.WebSocket;
import io.realtimegateway.notifications.NotificationService;

/**
 * {@code /ws/notifications}: server push to every connection (every tab) of the token's user, with recovery by
 * {@code ?since=}. The connection's messages go to {@link NotificationService}; the callbacks are those of the base.
 */
@WebSocket(path = "/ws/notifications", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class NotificationsEndpoint extends SessionEndpoint {

    @Inject
    NotificationsEndpoint(NotificationService notifications) {
        super(notifications);
    }
}
