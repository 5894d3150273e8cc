package io.realtimegateway.history;

import java.security.SecureRandom;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.IdFrame;
import io.realtimegateway.protocol.OutboundFrame;
import io.smallrye.mutiny.Uni;

/**
 * History in this process's memory, for the single-instance {@code memory} broker. Each topic has its own log and
 * epoch; a log that holds nothing and saw no message within the age limit is dropped by {@link #sweep()}, and a new one
 * starts a new epoch, so ids from before are reported as not recovered. A restart loses everything, likewise.
 * <p>
 * Memory: at most {@code maxMessages} frames per topic for at most {@code maxAge}, and at most {@code maxBytes} of
 * frames across all topics: beyond that the oldest messages of any topic go first (a client that asks to recover
 * from before them is told {@code recovered: false}, as for expired history), so that no user, within the rate
 * limits, can pin more. The global order is a queue of references, compacted once it holds more gone entries than
 * live ones. Threading: each call takes the monitor of one topic's log at a time, for a few queue operations; nothing
 * blocks.
 */
public final class MemoryHistory implements MessageHistory {

    /** A retained message and its log, in the global order of appends. */
    private record Retained(TopicLog log, TopicLog.Stored stored) {
    }

    private final ConcurrentMap<Topic, TopicLog> logs = new ConcurrentHashMap<>();
    private final int maxMessages;
    private final long maxAgeMillis;
    private final long maxBytes;
    private final LongSupplier clock;
    private final Queue<Retained> order = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    /** Entries of {@link #order} whose message is gone already. */
    private final AtomicLong goneInOrder = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    /**
     * Per instance, not static: the class is initialized at build time in a native image, where a static generator
     * would be in the image heap with the seed of the build (the builder refuses it); the bean is made at run time.
     */
    private final SecureRandom random = new SecureRandom();

    public MemoryHistory(int maxMessages, long maxAgeMillis, long maxBytes, LongSupplier clock) {
        this.maxMessages = maxMessages;
        this.maxAgeMillis = maxAgeMillis;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Uni<Entry> append(Topic topic, IdFrame frame) {
        return Uni.createFrom().item(appendNow(topic, frame::with));
    }

    /** The synchronous form of {@link #append}. */
    public Entry appendNow(Topic topic, Function<StreamId, OutboundFrame> encoder) {
        long now = clock.getAsLong();
        TopicLog log = logs.computeIfAbsent(topic,
                t -> new TopicLog(newEpoch(), maxMessages, maxAgeMillis, now, this::released));
        TopicLog.Stored stored;
        synchronized (log) {
            stored = log.append(encoder, now);
            if (!stored.gone) {
                bytes.addAndGet(stored.bytes);
                live.incrementAndGet();
                order.add(new Retained(log, stored));
            }
        }
        // Outside the log's monitor: evicting takes other logs' monitors, one at a time.
        enforceBound();
        return stored.entry;
    }

    private void enforceBound() {
        while (bytes.get() > maxBytes) {
            Retained oldest = order.poll();
            if (oldest == null) {
                return;
            }
            if (!oldest.stored().gone) {
                synchronized (oldest.log()) {
                    oldest.log().evict(oldest.stored());
                }
                evictions.incrementAndGet();
            }
            goneInOrder.decrementAndGet();
        }
        long gone = goneInOrder.get();
        if (gone > 1024 && gone > live.get()) {
            compact();
        }
    }

    /** Called by a log, under its monitor, for every message it lets go of. */
    private void released(TopicLog.Stored stored) {
        bytes.addAndGet(-stored.bytes);
        live.decrementAndGet();
        goneInOrder.incrementAndGet();
    }

    private void compact() {
        order.removeIf(retained -> {
            if (retained.stored().gone) {
                goneInOrder.decrementAndGet();
                return true;
            }
            return false;
        });
    }

    /** Bytes of the frames retained, across all topics. */
    public long bytes() {
        return bytes.get();
    }

    /** Entries in the global order, gone ones included; for tests of its compaction. */
    int orderLength() {
        return order.size();
    }

    /** Messages let go of to keep within {@code maxBytes}, since start. */
    public long evictions() {
        return evictions.get();
    }

    @Override
    public Uni<Replay> since(Topic topic, StreamId since) {
        TopicLog log = logs.get(topic);
        if (log == null) {
            return Uni.createFrom().item(new Replay(List.of(), false));
        }
        synchronized (log) {
            return Uni.createFrom().item(log.since(since, clock.getAsLong()));
        }
    }

    @Override
    public Uni<List<Entry>> last(Topic topic, int count) {
        TopicLog log = logs.get(topic);
        if (log == null) {
            return Uni.createFrom().item(List.of());
        }
        synchronized (log) {
            return Uni.createFrom().item(log.last(count, clock.getAsLong()));
        }
    }

    @Override
    public Uni<StreamId> newest(Topic topic) {
        TopicLog log = logs.get(topic);
        if (log == null) {
            return Uni.createFrom().nullItem();
        }
        synchronized (log) {
            return Uni.createFrom().item(log.newest());
        }
    }

    /** Drops the logs of idle topics. Called periodically; cheap when nothing is idle. */
    @Override
    public void sweep() {
        long now = clock.getAsLong();
        logs.forEach((topic, log) -> {
            synchronized (log) {
                if (log.idle(now)) {
                    logs.remove(topic, log);
                }
            }
        });
    }

    /** Topics with a log, for metrics and tests. */
    public int topicCount() {
        return logs.size();
    }

    private String newEpoch() {
        return Long.toString(random.nextLong() >>> 24, 36);
    }
}
