package io.realtimegateway.broadcast;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ServerFrames;
import io.smallrye.mutiny.Uni;

/**
 * The one way to send messages: to a room, to every connection of one user, or to every chat connection. Each call
 * gives the message an id and a timestamp, encodes its frame once, and hands it to the configured {@link Broker}.
 * <p>
 * Guarantees are the broker's: at most once, ordered per topic from one publisher, never blocking. The returned
 * {@code Uni} yields the message id once the broker accepted the message, or fails when it could not (for example
 * Redis is down), in which case the message was delivered nowhere.
 */
@ApplicationScoped
public class Broadcaster {

    @Inject
    Broker broker;

    @Inject
    MessageIds ids;

    /**
     * @param excludeConnection the publisher's connection, which does not receive its own message; {@code null} for
     *        none
     */
    public Uni<String> toRoom(String room, String from, JsonNode data, String excludeConnection) {
        String id = ids.next();
        OutboundFrame frame = ServerFrames.message(room, id, from, data, System.currentTimeMillis());
        return broker.publish(new Delivery(Topic.room(room), excludeConnection, frame)).replaceWith(id);
    }

    public Uni<String> toUser(String user, JsonNode data) {
        String id = ids.next();
        OutboundFrame frame = ServerFrames.notification(id, data, System.currentTimeMillis());
        return broker.publish(new Delivery(Topic.user(user), null, frame)).replaceWith(id);
    }

    /** To every chat connection on every instance, as a {@code message} frame whose {@code room} is {@code "*"}. */
    public Uni<String> toAll(String from, JsonNode data) {
        String id = ids.next();
        OutboundFrame frame = ServerFrames.message("*", id, from, data, System.currentTimeMillis());
        return broker.publish(new Delivery(Topic.ALL, null, frame)).replaceWith(id);
    }
}
