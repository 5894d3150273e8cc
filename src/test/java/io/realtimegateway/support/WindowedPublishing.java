package io.realtimegateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;

/**
 * A client publishing as fast as its acknowledgements allow, with at most a window of publishes unacknowledged: how a
 * client that respects back-pressure streams, and what the seam tests publish during a join. An unthrottled burst of
 * thousands (far above {@code gateway.inbound.rate}) can instead queue appends behind each other, on a loaded machine,
 * for longer than {@code gateway.redis.command-timeout} (its clock starts when the append is queued), where the
 * gateway degrades on purpose (the message reaches only its own instance, with a local id, and the publisher is told
 * {@code unavailable}); that has tests of its own.
 */
public final class WindowedPublishing {

    private WindowedPublishing() {
    }

    /**
     * Publishes the numbers {@code 1..total} into {@code room} from {@code publisher}, each with ref {@code p<n>}, at
     * most {@code window} unacknowledged; returns once all were acknowledged, and fails on any other answer.
     */
    public static void publish(WsClient publisher, String room, int total, int window) {
        for (int n = 1; n <= total; n++) {
            if (n > window) {
                expectAck(publisher, n - window);
            }
            publisher.send(Frames.publish(room, n, "p" + n));
        }
        for (int n = Math.max(1, total - window + 1); n <= total; n++) {
            expectAck(publisher, n);
        }
    }

    private static void expectAck(WsClient publisher, int n) {
        JsonObject answer = publisher.next(f -> ("p" + n).equals(f.getString("ref")));
        assertEquals("ack", answer.getString("type"), "publish " + n + " was answered " + answer);
    }
}
