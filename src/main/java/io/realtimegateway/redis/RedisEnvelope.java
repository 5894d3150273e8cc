package io.realtimegateway.redis;

import java.util.List;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ServerFrames;

/**
 * The one codec of what crosses Redis pub/sub. Two payloads:
 * <ul>
 * <li>a message, on a room, user or all channel: a few header lines, then the frame exactly as it goes to clients, so
 * that it is encoded once by the publisher and never re-encoded by a subscriber:
 * <pre>
 * &lt;origin instance id&gt;\n&lt;excluded connection id or empty&gt;\n&lt;epoch:offset or empty&gt;\n&lt;frame
 * JSON&gt;
 * </pre></li>
 * <li>a presence change, on a room's presence channel, published by the presence script in the same atomic step as
 * the change (so every instance sees a room's changes in the order Redis made them): {@code +<user>} when the user's
 * first connection anywhere entered, {@code -<user>} when the last one left. Each instance turns it into the
 * {@code presence_diff} frame ({@link ServerFrames#presenceDiff}) for its members; no script writes JSON.</li>
 * </ul>
 * Pure and thread-safe.
 */
public final class RedisEnvelope {

    private RedisEnvelope() {
    }

    /** A message's payload, sent by the instance {@code origin}. */
    public static String encode(String origin, Delivery delivery) {
        String exclude = delivery.excludeConnection() == null ? "" : delivery.excludeConnection();
        String position = delivery.position() == null ? "" : delivery.position().toString();
        return origin + '\n' + exclude + '\n' + position + '\n' + delivery.frame().text();
    }

    /**
     * A decoded payload: the delivery for local connections, and the instance that published it ({@code null} for a
     * presence change, which comes from Redis itself and goes to every instance).
     */
    public record Received(String origin, Delivery delivery) {
    }

    /** @return the decoded payload of a channel of {@code topic}, or {@code null} when it is not one of ours */
    public static Received decode(Topic topic, String payload) {
        if (topic.kind() == Topic.Kind.PRESENCE) {
            return presenceChange(topic, payload);
        }
        int a = payload.indexOf('\n');
        int b = a < 0 ? -1 : payload.indexOf('\n', a + 1);
        int c = b < 0 ? -1 : payload.indexOf('\n', b + 1);
        if (c < 0) {
            return null;
        }
        String exclude = payload.substring(a + 1, b);
        String position = payload.substring(b + 1, c);
        Delivery delivery = new Delivery(topic, exclude.isEmpty() ? null : exclude,
                OutboundFrame.of(payload.substring(c + 1), position.isEmpty() ? null : position),
                position.isEmpty() ? null : StreamId.parse(position));
        return new Received(payload.substring(0, a), delivery);
    }

    private static Received presenceChange(Topic topic, String payload) {
        if (payload.length() < 2 || (payload.charAt(0) != '+' && payload.charAt(0) != '-')) {
            return null;
        }
        List<String> user = List.of(payload.substring(1));
        boolean joined = payload.charAt(0) == '+';
        OutboundFrame frame = ServerFrames.presenceDiff(topic.name(), joined ? user : List.of(),
                joined ? List.of() : user);
        return new Received(null, new Delivery(topic, null, frame, null));
    }
}
