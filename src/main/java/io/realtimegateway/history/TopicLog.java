package io.realtimegateway.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * The retained messages of one topic in memory: a queue bounded by count and age, with its epoch and next offset. Every
 * entry it lets go of (trimmed by count or age, or {@linkplain #evict evicted} for the global byte bound) is reported
 * to
 * the {@code removed} callback, once. Not thread-safe on its own: {@link MemoryHistory} calls it under the log's
 * monitor. Pure, so plain tests cover it.
 */
final class TopicLog {

    /** One retained message; {@link #gone} once the log let go of it (read without the log's monitor). */
    static final class Stored {
        final MessageHistory.Entry entry;
        final long atMillis;
        final int bytes;
        volatile boolean gone;

        Stored(MessageHistory.Entry entry, long atMillis) {
            this.entry = entry;
            this.atMillis = atMillis;
            this.bytes = entry.frame().bytes();
        }
    }

    private final String epoch;
    private final int maxMessages;
    private final long maxAgeMillis;
    private final Consumer<Stored> removed;
    private final ArrayDeque<Stored> entries = new ArrayDeque<>();
    private long lastOffset;
    private long lastAppendMillis;

    TopicLog(String epoch, int maxMessages, long maxAgeMillis, long nowMillis, Consumer<Stored> removed) {
        this.epoch = epoch;
        this.maxMessages = maxMessages;
        this.maxAgeMillis = maxAgeMillis;
        this.lastAppendMillis = nowMillis;
        this.removed = removed;
    }

    /**
     * Numbers and keeps a message. The result is {@link Stored#gone} at once when this log keeps nothing
     * ({@code maxMessages} 0).
     */
    Stored append(Function<StreamId, OutboundFrame> encoder, long nowMillis) {
        StreamId id = new StreamId(epoch, ++lastOffset);
        Stored stored = new Stored(new MessageHistory.Entry(id, encoder.apply(id)), nowMillis);
        lastAppendMillis = nowMillis;
        if (maxMessages > 0) {
            entries.addLast(stored);
            trim(nowMillis);
        } else {
            stored.gone = true;
        }
        return stored;
    }

    MessageHistory.Replay since(StreamId since, long nowMillis) {
        trim(nowMillis);
        boolean sameEpoch = epoch.equals(since.epoch()) && since.offset() <= lastOffset;
        long after = sameEpoch ? since.offset() : 0;
        List<MessageHistory.Entry> missed = new ArrayList<>();
        for (Stored stored : entries) {
            if (stored.entry.id().offset() > after) {
                missed.add(stored.entry);
            }
        }
        long oldestNeeded = after + 1;
        long oldestRetained = entries.isEmpty() ? lastOffset + 1 : entries.peekFirst().entry.id().offset();
        boolean recovered = sameEpoch && oldestRetained <= oldestNeeded;
        return new MessageHistory.Replay(missed, recovered);
    }

    /** The newest {@code count} retained messages, oldest first. */
    List<MessageHistory.Entry> last(int count, long nowMillis) {
        trim(nowMillis);
        List<MessageHistory.Entry> newest = new ArrayList<>(Math.min(count, entries.size()));
        int skip = entries.size() - count;
        for (Stored stored : entries) {
            if (skip-- <= 0) {
                newest.add(stored.entry);
            }
        }
        return newest;
    }

    /** The id of the newest message appended, or {@code null} before the first. */
    StreamId newest() {
        return lastOffset == 0 ? null : new StreamId(epoch, lastOffset);
    }

    /**
     * Lets go of {@code stored} and everything older in this log (the global bound evicts oldest first, so it is the
     * head unless count or age already took it).
     */
    void evict(Stored stored) {
        if (stored.gone) {
            return;
        }
        while (!entries.isEmpty()) {
            Stored head = entries.removeFirst();
            release(head);
            if (head == stored) {
                return;
            }
        }
    }

    /** @return {@code true} when nothing is retained and nothing was appended within the age limit */
    boolean idle(long nowMillis) {
        trim(nowMillis);
        return entries.isEmpty() && nowMillis - lastAppendMillis > maxAgeMillis;
    }

    private void trim(long nowMillis) {
        while (entries.size() > maxMessages) {
            release(entries.removeFirst());
        }
        while (!entries.isEmpty() && nowMillis - entries.peekFirst().atMillis > maxAgeMillis) {
            release(entries.removeFirst());
        }
    }

    private void release(Stored stored) {
        stored.gone = true;
        removed.accept(stored);
    }
}
