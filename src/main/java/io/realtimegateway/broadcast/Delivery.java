package io.realtimegateway.broadcast;

import io.realtimegateway.protocol.OutboundFrame;

/**
 * One message on its way to the local connections of a topic, already encoded.
 *
 * @param topic who receives it
 * @param excludeConnection the id of a connection that must not receive it (the publisher's own), or {@code null}
 * @param frame the encoded frame, identical for every recipient
 */
public record Delivery(Topic topic, String excludeConnection, OutboundFrame frame) {
}
