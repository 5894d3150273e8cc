package io.realtimegateway.broadcast;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.message.InstanceId;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.IdFrame;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ServerFrames;
import io.smallrye.mutiny.Uni;

/**
 * The one way to send: to a room, to every connection of one user, to every chat connection, and a room's presence
 * changes. Each call gives the message its id and timestamp, encodes its frame once, and hands it to the configured
 * {@link Broker}, whose {@link LocalFanout} is the only writer to local connections. (With Redis, presence changes
 * are announced by the script that makes them, so that every instance sees them in the order Redis made them; each
 * instance's broker turns the announcement into the same frame, see {@code RedisEnvelope}.)
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

    @Inject
    InstanceId instance;

    /** The prefix of the epoch of ids given while the history is unwritable, followed by the {@link InstanceId}. */
    static final String LOCAL_EPOCH_PREFIX = "local";

    private final AtomicLong localOffsets = new AtomicLong();

    /**
     * @param excludeConnection the publisher's connection, which does not receive its own message; {@code null} for
     *        none
     */
    public Uni<String> toRoom(String room, String from, JsonNode data, String excludeConnection) {
        return numbered(Topic.room(room), excludeConnection,
                ServerFrames.messageTemplate(room, from, data, System.currentTimeMillis()));
    }

    /**
     * A binary message to a room: every member receives {@code payload} unchanged, in a binary frame whose header is
     * {@code {"type":"message","room":..,"id":..,"from":..,"ts":..}}, encoded once for all of them; the history keeps
     * the bytes for replays.
     *
     * @param payload owned by the message from now on: never modify it
     * @param excludeConnection as for a JSON message
     */
    public Uni<String> toRoom(String room, String from, byte[] payload, String excludeConnection) {
        return numbered(Topic.room(room), excludeConnection,
                ServerFrames.binaryMessageTemplate(room, from, System.currentTimeMillis(), payload));
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
     * A {@code presence_diff} to the members of {@code room} that watch its presence (one instance: the memory
     * backend's presence calls this; Redis presence announces its changes itself, see the class comment). Best effort:
     * a diff that cannot be published is dropped, and a client's presence query gives the full list.
     */
    public void toPresence(String room, List<String> joined, List<String> left) {
        broker.publish(new Delivery(Topic.presence(room), null, ServerFrames.presenceDiff(room, joined, left), null))
                .subscribe().with(ok -> { }, failure -> metrics.brokerPublishFailed());
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
                    // This process's own epoch, unknown to every history: recovery from it answers recovered: false.
                    StreamId id = new StreamId(LOCAL_EPOCH_PREFIX + instance.value(), localOffsets.incrementAndGet());
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
