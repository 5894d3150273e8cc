package io.realtimegateway.broadcast;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ServerFrames;
import io.smallrye.mutiny.Uni;

/**
 * The one way to send messages: to a room, to every connection of one user, or to every chat connection. Each call
 * gives the message its id and timestamp, encodes its frame once, and hands it to the configured {@link Broker}.
 * Room messages and notifications are first appended to the {@link MessageHistory}, which gives them ids ordered
 * within their room (or user), so a client that comes back can ask for what it missed.
 * <p>
 * Guarantees are the broker's: at most once, ordered per topic from one publisher, never blocking. The returned
 * {@code Uni} yields the message id once the broker accepted the message, or fails when it could not (see
 * {@link Broker#publish}).
 */
@ApplicationScoped
public class Broadcaster {

    @Inject
    Broker broker;

    @Inject
    MessageHistory history;

    @Inject
    MessageIds ids;

    @Inject
    GatewayMetrics metrics;

    /**
     * @param excludeConnection the publisher's connection, which does not receive its own message; {@code null} for
     *        none
     */
    public Uni<String> toRoom(String room, String from, JsonNode data, String excludeConnection) {
        Topic topic = Topic.room(room);
        long ts = System.currentTimeMillis();
        return history.append(topic, id -> ServerFrames.message(room, id.toString(), from, data, ts))
                .flatMap(entry -> publish(topic, excludeConnection, entry));
    }

    public Uni<String> toUser(String user, JsonNode data) {
        Topic topic = Topic.user(user);
        long ts = System.currentTimeMillis();
        return history.append(topic, id -> ServerFrames.notification(id.toString(), data, ts))
                .flatMap(entry -> publish(topic, null, entry));
    }

    /** To every chat connection on every instance, as a {@code message} frame whose {@code room} is {@code "*"}. */
    public Uni<String> toAll(String from, JsonNode data) {
        String id = ids.next();
        OutboundFrame frame = ServerFrames.message("*", id, from, data, System.currentTimeMillis());
        return counted(broker.publish(new Delivery(Topic.ALL, null, frame, null))).replaceWith(id);
    }

    private Uni<String> publish(Topic topic, String excludeConnection, MessageHistory.Entry entry) {
        return counted(broker.publish(new Delivery(topic, excludeConnection, entry.frame(), entry.id())))
                .replaceWith(entry.id().toString());
    }

    private Uni<Void> counted(Uni<Void> publish) {
        return publish.onFailure().invoke(failure -> metrics.brokerPublishFailed());
    }
}
