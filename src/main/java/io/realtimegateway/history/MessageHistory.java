package io.realtimegateway.history;

import java.util.List;
import java.util.function.Function;

import io.realtimegateway.broadcast.Topic;
import io.realtimegateway.protocol.OutboundFrame;
import io.smallrye.mutiny.Uni;

/**
 * The recent messages of each room and each user, so that a client that was away can get what it missed. Bounded by
 * count and age per topic. The in-memory implementation serves the {@code memory} broker.
 * <p>
 * Guarantees: {@link #append} gives each message of a topic a {@link StreamId} whose offset is one more than the
 * previous one's in the same epoch; {@link #since} returns the retained messages after an id in that order, and says
 * whether they are everything the client missed ({@link Replay#recovered()}).
 * <p>
 * Threading: non-blocking; may be called from any thread, including event loops.
 */
public interface MessageHistory {

    /**
     * Appends a message. The frame is built by {@code encoder} exactly once, with the id it gets.
     *
     * @return the message as stored: its id and its frame
     */
    Uni<Entry> append(Topic topic, Function<StreamId, OutboundFrame> encoder);

    /**
     * The retained messages of a topic after {@code since}, oldest first.
     *
     * @param since the last id the client saw
     */
    Uni<Replay> since(Topic topic, StreamId since);

    /** A stored message. */
    record Entry(StreamId id, OutboundFrame frame) {
    }

    /**
     * What a client missed.
     *
     * @param entries the retained messages after the client's id, oldest first
     * @param recovered {@code true} when {@code entries} is everything published after the client's id; {@code false}
     *        when the history no longer reaches back that far (or was lost), so the client should reload
     */
    record Replay(List<Entry> entries, boolean recovered) {

        /** The id of the newest replayed message, or {@code null} when nothing was replayed. */
        public StreamId last() {
            return entries.isEmpty() ? null : entries.get(entries.size() - 1).id();
        }
    }
}
