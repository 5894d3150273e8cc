package io.realtimegateway.protocol;

/**
 * A server frame encoded once, all but its {@code id}: the text before the id's value and the text after it (of the
 * JSON of a text frame, or of the header of a binary message), and a binary message's payload. The history that
 * numbers a message completes it with {@link #with}; a Redis history sends the two halves (and the payload) to a script
 * that numbers and stores the message atomically, so the frame is still encoded once. Immutable.
 *
 * @param head the frame's text up to and including the opening quote of the id's value
 * @param tail the frame's text from the closing quote of the id's value on
 * @param payload the payload of a binary message ({@link OutboundFrame#binaryMessage}), owned by the frame: never
 *        modify it; {@code null} for a text frame
 */
public record IdFrame(String head, String tail, byte[] payload) {

    /** A text frame waiting for its id. */
    public IdFrame(String head, String tail) {
        this(head, tail, null);
    }

    /**
     * The complete frame with the given id, which must need no JSON escaping (ids are {@code [0-9a-z:]}); the frame
     * carries the id as its {@link OutboundFrame#eventId()}.
     */
    public OutboundFrame with(Object id) {
        String text = head + id + tail;
        String eventId = id.toString();
        return payload == null ? OutboundFrame.of(text, eventId) : OutboundFrame.binaryMessage(text, payload, eventId);
    }
}
