package io.realtimegateway.broadcast;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.IdFrame;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ServerFrames;
import io.smallrye.mutiny.Uni;

/**
 * How services and the REST API send messages: to a room, to every connection of one user, or to every chat
 * connection. (Presence diffs are the one other sender: they go to the {@link Broker} from the presence store, on
 * Redis from inside the script that changes the membership, so the diff and the change are one step.) Each call
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

    @Inject
    LocalFanout fanout;

    /** The epoch of ids given while the history is unwritable: this process's own, unknown to every history. */
    private final String localEpoch = "local" + Long.toString(new SecureRandom().nextLong() >>> 28, 36);
    private final AtomicLong localOffsets = new AtomicLong();

    /**
     * @param excludeConnection the publisher's connection, which does not receive its own message; {@code null} for
     *        none
     */
    public Uni<String> toRoom(String room, String from, JsonNode data, String excludeConnection) {
        return numbered(Topic.room(room), excludeConnection,
                ServerFrames.messageTemplate(room, from, data, System.currentTimeMillis()));
    }

    public Uni<String> toUser(String user, JsonNode data) {
        return numbered(Topic.user(user), null, ServerFrames.notificationTemplate(data, System.currentTimeMillis()));
    }

    /** To every chat connection on every instance, as a {@code message} frame whose {@code room} is {@code "*"}. */
    public Uni<String> toAll(String from, JsonNode data) {
        String id = ids.next();
        OutboundFrame frame = ServerFrames.message("*", id, from, data, System.currentTimeMillis());
        return counted(broker.publish(new Delivery(Topic.ALL, null, frame, null))).replaceWith(id);
    }

    /**
     * Appends to the history, then publishes. When the history cannot be written (its Redis is down), the message
     * still reaches this instance's connections, with an id of this instance's own epoch that no history knows (a
     * client that later asks to recover from it is told {@code recovered: false}), and the call fails, so the
     * publisher learns that it reached only this instance.
     */
    private Uni<String> numbered(Topic topic, String excludeConnection, IdFrame frame) {
        return history.append(topic, frame)
                .onFailure().call(failure -> {
                    StreamId id = new StreamId(localEpoch, localOffsets.incrementAndGet());
                    fanout.deliver(new Delivery(topic, excludeConnection, frame.with(id), id));
                    metrics.brokerPublishFailed();
                    return Uni.createFrom().voidItem();
                })
                .flatMap(entry -> publish(topic, excludeConnection, entry));
    }

    private Uni<String> publish(Topic topic, String excludeConnection, MessageHistory.Entry entry) {
        return counted(broker.publish(new Delivery(topic, excludeConnection, entry.frame(), entry.id())))
                .replaceWith(entry.id().toString());
    }

    private Uni<Void> counted(Uni<Void> publish) {
        return publish.onFailure().invoke(failure -> metrics.brokerPublishFailed());
    }
}
