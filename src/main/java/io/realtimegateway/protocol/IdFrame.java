package io.realtimegateway.protocol;

/**
 * A server frame encoded once, all but its {@code id}: the text before the id's value and the text after it. The
 * history that numbers a message completes it with {@link #with}; a Redis history sends the two halves to a script
 * that numbers and stores the message atomically, so the frame is still encoded once. Immutable.
 *
 * @param head the frame's text up to and including the opening quote of the id's value
 * @param tail the frame's text from the closing quote of the id's value on
 */
public record IdFrame(String head, String tail) {

    /**
     * The complete frame with the given id, which must need no JSON escaping (ids are {@code [0-9a-z:]}); the frame
     * carries the id as its {@link OutboundFrame#eventId()}.
     */
    public OutboundFrame with(Object id) {
        return OutboundFrame.of(head + id + tail, id.toString());
    }
}
