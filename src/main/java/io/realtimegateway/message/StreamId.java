package io.realtimegateway.message;

/**
 * The id of a message in a room's (or a user's) history: {@code <epoch>:<offset>}. Offsets count up from 1 within an
 * epoch, in the order messages were appended; the epoch changes whenever the history is lost (a restart of an
 * in-memory history, an expired Redis stream), so a client that presents an id of an older epoch learns that it may
 * have missed messages. Immutable.
 */
public record StreamId(String epoch, long offset) {

    /** The text form sent to clients. */
    @Override
    public String toString() {
        return epoch + ":" + offset;
    }

    /** @return the id, or {@code null} when {@code text} is not of the form {@code epoch:offset} */
    public static StreamId parse(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || colon > 64) {
            return null;
        }
        try {
            long offset = Long.parseLong(text.substring(colon + 1));
            return offset < 0 ? null : new StreamId(text.substring(0, colon), offset);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
