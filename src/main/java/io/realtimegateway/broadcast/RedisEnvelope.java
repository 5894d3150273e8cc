package io.realtimegateway.broadcast;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * How a {@link Delivery} crosses Redis: a few header lines, then the frame exactly as it goes to clients, so that it is
 * encoded once by the publisher and never re-encoded by a subscriber:
 * <pre>
 * &lt;origin instance id&gt;\n&lt;excluded connection id or empty&gt;\n&lt;epoch:offset or empty&gt;\n&lt;frame JSON&gt;
 * </pre>
 * Pure and thread-safe.
 */
final class RedisEnvelope {

    private RedisEnvelope() {
    }

    static String encode(String origin, Delivery delivery) {
        String exclude = delivery.excludeConnection() == null ? "" : delivery.excludeConnection();
        String position = delivery.position() == null ? "" : delivery.position().toString();
        return origin + '\n' + exclude + '\n' + position + '\n' + delivery.frame().text();
    }

    /** A decoded envelope: who sent it and the delivery for local connections. */
    record Received(String origin, Delivery delivery) {
    }

    /** @return the envelope, or {@code null} when the payload is not one */
    static Received decode(Topic topic, String payload) {
        int a = payload.indexOf('\n');
        int b = a < 0 ? -1 : payload.indexOf('\n', a + 1);
        int c = b < 0 ? -1 : payload.indexOf('\n', b + 1);
        if (c < 0) {
            return null;
        }
        String exclude = payload.substring(a + 1, b);
        String position = payload.substring(b + 1, c);
        Delivery delivery = new Delivery(topic, exclude.isEmpty() ? null : exclude,
                OutboundFrame.of(payload.substring(c + 1)), position.isEmpty() ? null : StreamId.parse(position));
        return new Received(payload.substring(0, a), delivery);
    }
}
