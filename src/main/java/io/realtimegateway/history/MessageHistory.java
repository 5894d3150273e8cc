package io.realtimegateway.history;

import java.util.List;
import java.util.function.BiConsumer;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.IdFrame;
import io.realtimegateway.protocol.OutboundFrame;
import io.smallrye.mutiny.Uni;

/**
 * The recent messages of each room and each user, so that a client that was away can get what it missed. Bounded by
 * count and age per topic. The in-memory implementation serves the {@code memory} broker (one instance); the Redis
 * Streams implementation serves the {@code redis} broker, so that every instance numbers a room's messages in one
 * sequence and any instance can replay them. Both keep this contract, which one shared test suite checks.
 * <p>
 * Guarantees: {@link #append} gives each message of a topic a {@link StreamId} whose offset is one more than the
 * previous one's in the same epoch, even when instances append concurrently; {@link #since} returns the retained
 * messages after an id in that order, and says whether they are everything the client missed
 * ({@link Replay#recovered()}); {@link #last} the newest retained messages, in that order. An id of another epoch
 * (the history was lost) is never reported as recovered.
 * <p>
 * Ordering: appends from one thread, each issued after the previous {@code append} call returned, get increasing
 * offsets in that order.
 * <p>
 * Threading: non-blocking; may be called from any thread, including event loops.
 */
public interface MessageHistory {

    /**
     * Appends a message, completing its frame with the id it gets.
     *
     * @return the message as stored: its id and its frame; fails when the history cannot be written (Redis down)
     */
    Uni<Entry> append(Topic topic, IdFrame frame);

    /**
     * Where to report an append that failed for want of an answer (its deadline passed, so its caller delivered the
     * message under an id of its own) and was numbered after all: the id it got, once its answer comes. The caller
     * can then count that offset as delivered rather than deliver the message again from the history. A history
     * whose appends cannot time out (the memory one) reports nothing. One listener; set it before appending.
     */
    default void onLateAppend(BiConsumer<Topic, StreamId> listener) {
    }

    /**
     * The retained messages of a topic after {@code since}, oldest first.
     *
     * @param since the last id the client saw
     */
    Uni<Replay> since(Topic topic, StreamId since);

    /**
     * The newest {@code count} retained messages of a topic, oldest first: fewer when it retains fewer, none when it
     * has no history. Like {@link #since}, never a message older than the age limit. For a client that joins with
     * {@code rewind}.
     *
     * @param count at least 1
     */
    Uni<List<Entry>> last(Topic topic, int count);

    /** A short name for logs: {@code memory} or {@code redis}. */
    String name();

    /**
     * The id of the newest message appended to a topic, or {@code null} (as the item) when it has none. One read, for
     * instances that check they missed nothing; fails when the history is unreachable.
     */
    Uni<StreamId> newest(Topic topic);

    /** Upkeep, called every minute: drops what the history holds for topics that went idle. Never blocks. */
    default void sweep() {
    }

    /** Why the history cannot be written or read right now, or {@code null} when it can. */
    default String problem() {
        return null;
    }

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
