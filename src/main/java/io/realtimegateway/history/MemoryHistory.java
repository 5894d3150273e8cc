package io.realtimegateway.history;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.realtimegateway.broadcast.Topic;
import io.realtimegateway.protocol.IdFrame;
import io.realtimegateway.protocol.OutboundFrame;
import io.smallrye.mutiny.Uni;

/**
 * History in this process's memory, for the single-instance {@code memory} broker. Each topic has its own log and
 * epoch; a log that holds nothing and saw no message within the age limit is dropped by {@link #sweep()}, and a new one
 * starts a new epoch, so ids from before are reported as not recovered. A restart loses everything, likewise.
 * <p>
 * Memory: at most {@code maxMessages} frames per topic for at most {@code maxAge}. Threading: each call takes the
 * monitor of one topic's log for the time of a few queue operations; nothing blocks.
 */
public final class MemoryHistory implements MessageHistory {

    private final ConcurrentMap<Topic, TopicLog> logs = new ConcurrentHashMap<>();
    private final int maxMessages;
    private final long maxAgeMillis;
    private final LongSupplier clock;
    /**
     * Per instance, not static: the class is initialized at build time in a native image, where a static generator
     * would be in the image heap with the seed of the build (the builder refuses it); the bean is made at run time.
     */
    private final SecureRandom random = new SecureRandom();

    public MemoryHistory(int maxMessages, long maxAgeMillis, LongSupplier clock) {
        this.maxMessages = maxMessages;
        this.maxAgeMillis = maxAgeMillis;
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
        TopicLog log = logs.computeIfAbsent(topic, t -> new TopicLog(newEpoch(), maxMessages, maxAgeMillis, now));
        synchronized (log) {
            return log.append(encoder, now);
        }
    }

    @Override
    public Uni<Replay> since(Topic topic, StreamId since) {
        TopicLog log = logs.get(topic);
        if (log == null) {
            return Uni.createFrom().item(new Replay(java.util.List.of(), false));
        }
        synchronized (log) {
            return Uni.createFrom().item(log.since(since, clock.getAsLong()));
        }
    }

    /** Drops the logs of idle topics. Called periodically; cheap when nothing is idle. */
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
