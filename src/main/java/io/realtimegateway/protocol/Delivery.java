package io.realtimegateway.protocol;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;

/**
 * One message on its way to the local connections of a topic, already encoded.
 *
 * @param topic who receives it
 * @param excludeConnection the id of a connection that must not receive it (the publisher's own), or {@code null}
 * @param frame the encoded frame, identical for every recipient
 * @param position its place in the topic's history, or {@code null} for messages without history (broadcasts)
 */
public record Delivery(Topic topic, String excludeConnection, OutboundFrame frame, StreamId position) {
}
