package io.realtimegateway.endpoint;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.realtimegateway.chat.ChatService;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.notifications.NotificationService;
import io.realtimegateway.session.SessionHandler;
import io.realtimegateway.upgrade.EventStreams;
import io.vertx.ext.web.Router;

/**
 * The HTTP fallback transport's routes, for clients whose WebSocket cannot open: {@code GET /sse/chat} and
 * {@code GET /sse/notifications} open an event stream (Server-Sent Events) with the same checks and frames as the
 * WebSocket endpoints, and {@code POST /sse/chat/<session>} ({@code /sse/notifications/<session>}) carries the client's
 * frames. Everything but the mapping is in {@link EventStreams} and the endpoints' services.
 */
@ApplicationScoped
public class EventStreamRoutes {

    @Inject
    EventStreams streams;

    @Inject
    ChatService chat;

    @Inject
    NotificationService notifications;

    void install(@Observes Router router) {
        route(router, Endpoint.CHAT, chat);
        route(router, Endpoint.NOTIFICATIONS, notifications);
    }

    private void route(Router router, Endpoint endpoint, SessionHandler handler) {
        String path = "/sse/" + endpoint.tag();
        router.get(path).handler(rc -> streams.open(rc.request(), endpoint, handler));
        router.post(path + "/:session").handler(rc -> streams.post(rc.request(), rc.pathParam("session"), endpoint,
                handler));
        router.options(path).handler(rc -> streams.preflight(rc.request()));
        router.options(path + "/:session").handler(rc -> streams.preflight(rc.request()));
    }
}
