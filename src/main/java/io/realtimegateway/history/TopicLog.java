package io.realtimegateway.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import io.realtimegateway.protocol.OutboundFrame;

/**
 * The retained messages of one topic in memory: a queue bounded by count and age, with its epoch and next offset. Not
 * thread-safe on its own: {@link MemoryHistory} calls it under the log's monitor. Pure, so plain tests cover it.
 */
final class TopicLog {

    private record Stored(MessageHistory.Entry entry, long atMillis) {
    }

    private final String epoch;
    private final int maxMessages;
    private final long maxAgeMillis;
    private final ArrayDeque<Stored> entries = new ArrayDeque<>();
    private long lastOffset;
    private long lastAppendMillis;

    TopicLog(String epoch, int maxMessages, long maxAgeMillis, long nowMillis) {
        this.epoch = epoch;
        this.maxMessages = maxMessages;
        this.maxAgeMillis = maxAgeMillis;
        this.lastAppendMillis = nowMillis;
    }

    MessageHistory.Entry append(Function<StreamId, OutboundFrame> encoder, long nowMillis) {
        StreamId id = new StreamId(epoch, ++lastOffset);
        MessageHistory.Entry entry = new MessageHistory.Entry(id, encoder.apply(id));
        if (maxMessages > 0) {
            entries.addLast(new Stored(entry, nowMillis));
        }
        lastAppendMillis = nowMillis;
        trim(nowMillis);
        return entry;
    }

    MessageHistory.Replay since(StreamId since, long nowMillis) {
        trim(nowMillis);
        boolean sameEpoch = epoch.equals(since.epoch()) && since.offset() <= lastOffset;
        long after = sameEpoch ? since.offset() : 0;
        List<MessageHistory.Entry> missed = new ArrayList<>();
        for (Stored stored : entries) {
            if (stored.entry().id().offset() > after) {
                missed.add(stored.entry());
            }
        }
        long oldestNeeded = after + 1;
        long oldestRetained = entries.isEmpty() ? lastOffset + 1 : entries.peekFirst().entry().id().offset();
        boolean recovered = sameEpoch && oldestRetained <= oldestNeeded;
        return new MessageHistory.Replay(missed, recovered);
    }

    /** @return {@code true} when nothing is retained and nothing was appended within the age limit */
    boolean idle(long nowMillis) {
        trim(nowMillis);
        return entries.isEmpty() && nowMillis - lastAppendMillis > maxAgeMillis;
    }

    private void trim(long nowMillis) {
        while (entries.size() > maxMessages) {
            entries.removeFirst();
        }
        Iterator<Stored> it = entries.iterator();
        while (it.hasNext() && nowMillis - it.next().atMillis() > maxAgeMillis) {
            it.remove();
        }
    }
}
