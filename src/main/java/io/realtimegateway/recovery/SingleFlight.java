package io.realtimegateway.recovery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Merges concurrent reads of the same key (single flight), so that thousands of clients that come back at once with
 * the same {@code since} cost a couple of history reads, not thousands. Nothing is kept after a read completes: the
 * next caller reads afresh.
 * <p>
 * A caller shares only a read that started after its {@linkplain #ticket() ticket}, which it takes once it is a
 * member of the topic: a read that started earlier may have missed a message published after the read and before the
 * caller joined, which the caller would then get neither from the replay nor live. So a caller that comes while an
 * older read is in flight waits for it to end and shares the next read with every caller that came meanwhile: per
 * key, at most one read in flight and one waiting. A burst of rejoins costs two reads (the first caller's, and one for
 * all the others), a longer storm about one per read's duration.
 * <p>
 * Threading: any thread; never blocks. A read completes its callers one after another on the thread that completes
 * it, and the waiting read starts there; a failure fails the callers of that read only. A caller that cancels leaves
 * the read to the others.
 *
 * @param <K> what makes two reads the same (for example the topic and {@code since})
 */
final class SingleFlight<K, V> {

    private static final class Flight<V> {
        final Supplier<Uni<V>> read;
        final CompletableFuture<V> result = new CompletableFuture<>();
        /** The clock when the read started; 0 while it waits. */
        volatile long started;

        Flight(Supplier<Uni<V>> read) {
            this.read = read;
        }
    }

    /** The read in flight for a key, and the one waiting for it to end (or {@code null}). */
    private record Slot<V>(Flight<V> running, Flight<V> waiting) {
    }

    private final AtomicLong clock = new AtomicLong();
    private final ConcurrentMap<K, Slot<V>> slots = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();

    /** A mark of now: reads started after it may be shared by the caller that took it. */
    long ticket() {
        return clock.incrementAndGet();
    }

    /**
     * The result of {@code read} for {@code key}: of the read in flight if it started after {@code ticket}, else of
     * the next one. The read starts (or is joined) when the returned {@code Uni} is subscribed.
     */
    Uni<V> read(K key, long ticket, Supplier<Uni<V>> read) {
        return Uni.createFrom().deferred(() -> {
            Object[] joined = new Object[1];
            boolean[] start = new boolean[1];
            slots.compute(key, (k, slot) -> {
                if (slot == null) {
                    Flight<V> mine = new Flight<>(read);
                    mine.started = clock.incrementAndGet();
                    joined[0] = mine;
                    start[0] = true;
                    return new Slot<>(mine, null);
                }
                if (slot.running().started > ticket) {
                    joined[0] = slot.running();
                    return slot;
                }
                Flight<V> waiting = slot.waiting() != null ? slot.waiting() : new Flight<>(read);
                joined[0] = waiting;
                return new Slot<>(slot.running(), waiting);
            });
            @SuppressWarnings("unchecked")
            Flight<V> flight = (Flight<V>) joined[0];
            if (start[0]) {
                launch(key, flight);
            }
            return Uni.createFrom().completionStage(flight.result.copy());
        });
    }

    private void launch(K key, Flight<V> flight) {
        reads.incrementAndGet();
        Uni<V> source;
        try {
            source = flight.read.get();
        } catch (RuntimeException e) {
            source = Uni.createFrom().failure(e);
        }
        source.subscribe().with(value -> ended(key, flight, value, null), failure -> ended(key, flight, null, failure));
    }

    private void ended(K key, Flight<V> flight, V value, Throwable failure) {
        Object[] next = new Object[1];
        slots.computeIfPresent(key, (k, slot) -> {
            if (slot.waiting() == null) {
                return null;
            }
            slot.waiting().started = clock.incrementAndGet();
            next[0] = slot.waiting();
            return new Slot<>(slot.waiting(), null);
        });
        if (failure == null) {
            flight.result.complete(value);
        } else {
            flight.result.completeExceptionally(failure);
        }
        if (next[0] != null) {
            @SuppressWarnings("unchecked")
            Flight<V> waiting = (Flight<V>) next[0];
            launch(key, waiting);
        }
    }

    /** Reads started, since creation. */
    long reads() {
        return reads.get();
    }

    /** Keys with a read in flight now. */
    int inFlight() {
        return slots.size();
    }
}
