package io.realtimegateway.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ServerFrames;
import io.vertx.core.buffer.Buffer;

/**
 * The one codec of what crosses Redis pub/sub (binary-safe: a payload is bytes, not text). Two payloads:
 * <ul>
 * <li>a message, on a room, user or all channel: a few header lines, then the frame exactly as it goes to clients, so
 * that it is encoded once by the publisher and never re-encoded by a subscriber:
 * <pre>
 * &lt;origin instance id&gt;\n&lt;excluded connection id or empty&gt;\n&lt;epoch:offset or empty&gt;\n&lt;frame
 * JSON&gt;
 * </pre>
 * or, for a binary message ({@link OutboundFrame#isBinaryMessage()}), after the same three lines, {@code b}, its JSON
 * header (compact JSON holds no line feed), a line feed, then the payload's bytes unchanged:
 * <pre>
 * &lt;origin&gt;\n&lt;excluded&gt;\n&lt;position&gt;\nb&lt;header JSON&gt;\n&lt;payload bytes&gt;
 * </pre>
 * (a JSON frame is an object, so it starts with <code>{</code>, never {@code b});</li>
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

    /** Marks a binary message where a JSON frame would start. */
    private static final byte BINARY_MARK = 'b';

    /**
     * A message's payload, sent by the instance {@code origin}.
     *
     * @throws IllegalArgumentException for a raw binary frame (only the echo endpoint makes those, and never
     *         broadcasts them)
     */
    public static Buffer encode(String origin, Delivery delivery) {
        String exclude = delivery.excludeConnection() == null ? "" : delivery.excludeConnection();
        String position = delivery.position() == null ? "" : delivery.position().toString();
        String lines = origin + '\n' + exclude + '\n' + position + '\n';
        OutboundFrame frame = delivery.frame();
        if (!frame.isBinary()) {
            return Buffer.buffer(lines + frame.text());
        }
        if (!frame.isBinaryMessage()) {
            throw new IllegalArgumentException("a raw binary frame has no envelope");
        }
        byte[] payload = frame.payload();
        return Buffer.buffer(lines.length() + frame.header().length() + 2 + payload.length)
                .appendString(lines).appendByte(BINARY_MARK).appendString(frame.header()).appendByte((byte) '\n')
                .appendBytes(payload);
    }

    /**
     * A decoded payload: the delivery for local connections, and the instance that published it ({@code null} for a
     * presence change, which comes from Redis itself and goes to every instance).
     */
    public record Received(String origin, Delivery delivery) {
    }

    /** @return the decoded payload of a channel of {@code topic}, or {@code null} when it is not one of ours */
    public static Received decode(Topic topic, Buffer payload) {
        if (topic.kind() == Topic.Kind.PRESENCE) {
            return presenceChange(topic, payload.toString(StandardCharsets.UTF_8));
        }
        int a = lineEnd(payload, 0);
        int b = a < 0 ? -1 : lineEnd(payload, a + 1);
        int c = b < 0 ? -1 : lineEnd(payload, b + 1);
        if (c < 0) {
            return null;
        }
        String position = text(payload, b + 1, c);
        String eventId = position.isEmpty() ? null : position;
        OutboundFrame frame;
        if (c + 1 < payload.length() && payload.getByte(c + 1) == BINARY_MARK) {
            int d = lineEnd(payload, c + 2);
            if (d < 0) {
                return null;
            }
            frame = OutboundFrame.binaryMessage(text(payload, c + 2, d), payload.getBytes(d + 1, payload.length()),
                    eventId);
        } else {
            frame = OutboundFrame.of(text(payload, c + 1, payload.length()), eventId);
        }
        String exclude = text(payload, a + 1, b);
        Delivery delivery = new Delivery(topic, exclude.isEmpty() ? null : exclude, frame,
                eventId == null ? null : StreamId.parse(position));
        return new Received(text(payload, 0, a), delivery);
    }

    /** The index of the first line feed at or after {@code from}, or -1. */
    private static int lineEnd(Buffer payload, int from) {
        for (int i = from; i < payload.length(); i++) {
            if (payload.getByte(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String text(Buffer payload, int from, int to) {
        return payload.getString(from, to, "UTF-8");
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
