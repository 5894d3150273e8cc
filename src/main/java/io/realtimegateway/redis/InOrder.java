package io.realtimegateway.redis;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.vertx.core.Context;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Pipelines commands on one connection with a bounded window, and completes their replies in the order the commands
 * were sent. Redis executes and answers a connection's commands in order, but the client library completes each
 * reply's future on the caller's context, so callers on different threads could observe them out of order; callers
 * that publish in reply order (history, then broker) rely on this.
 * <p>
 * At most {@code maxInFlight} commands are on the wire unanswered (below the client library's own limit, beyond which
 * it fails commands with "waiting queue is full"); later ones wait here, in order, and go out as replies come back. At
 * most {@code maxWaiting} may wait: one more fails at once (with no reply, ahead of earlier commands), so a Redis that
 * stalls cannot make this instance's memory grow without bound.
 * <p>
 * Threading: {@link #send} may be called from any thread. One thread at a time completes replies, oldest first: the
 * one that saw the oldest outstanding reply arrive, which goes on with every later one already answered. The lock is
 * held to order, to count and to queue commands for the connection's thread, never while completing.
 */
final class InOrder {

    private static final class Slot {
        final CompletableFuture<Response> result = new CompletableFuture<>();
        RedisConnection connection;
        Request request;
        Response reply;
        Throwable failure;
        boolean done;
    }

    private final Context context;
    private final int maxInFlight;
    private final int maxWaiting;
    /** Sent, in wire order, until completed. */
    private final ArrayDeque<Slot> outstanding = new ArrayDeque<>();
    /** Not yet sent because the window is full, in send order. */
    private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
    private int inFlight;
    /** Whether a thread is moving waiting commands onto the wire; guards against recursion. */
    private boolean pumping;
    /** Whether a thread is completing slots; only one does at a time, so completions cannot overtake each other. */
    private boolean draining;

    /**
     * @param context where every command is handed to the connection, so that the order in which {@link #send} was
     *        called is the order on the wire
     */
    InOrder(Context context, int maxInFlight, int maxWaiting) {
        this.context = context;
        this.maxInFlight = maxInFlight;
        this.maxWaiting = maxWaiting;
    }

    CompletionStage<Response> send(RedisConnection connection, Request request) {
        Slot slot = new Slot();
        slot.connection = connection;
        slot.request = request;
        synchronized (this) {
            if (inFlight < maxInFlight && waiting.isEmpty()) {
                transmit(slot);
            } else if (waiting.size() < maxWaiting) {
                waiting.addLast(slot);
            } else {
                slot.result.completeExceptionally(new IllegalStateException("Redis is not keeping up: "
                        + maxInFlight + " commands unanswered and " + maxWaiting + " waiting"));
            }
        }
        return slot.result;
    }

    /** Puts a command on the wire; holds the lock, so the order of slots is the order on the wire. */
    private void transmit(Slot slot) {
        outstanding.addLast(slot);
        inFlight++;
        RedisConnection connection = slot.connection;
        Request request = slot.request;
        slot.connection = null;
        slot.request = null;
        // Always through the context's task queue, even from its own thread: the client library writes at once when
        // called on the connection's thread and queues otherwise, so direct calls from several threads could overtake
        // each other on the wire. The queue is first in, first out, and tasks are queued here under the lock.
        context.runOnContext(ignored -> connection.send(request).onComplete(result -> {
            synchronized (this) {
                slot.done = true;
                slot.reply = result.succeeded() ? result.result() : null;
                slot.failure = result.succeeded() ? null : result.cause();
                inFlight--;
                pump();
            }
            drain();
        }));
    }

    private void pump() {
        if (pumping) {
            return; // a reply completed synchronously inside transmit: the outer loop goes on
        }
        pumping = true;
        try {
            while (inFlight < maxInFlight && !waiting.isEmpty()) {
                transmit(waiting.removeFirst());
            }
        } finally {
            pumping = false;
        }
    }
    private void drain() {
        synchronized (this) {
            if (draining) {
                return; // the draining thread will see this slot before it stops
            }
            draining = true;
        }
        while (true) {
            Slot head;
            synchronized (this) {
                head = outstanding.peekFirst();
                if (head == null || !head.done) {
                    draining = false;
                    return;
                }
                outstanding.removeFirst();
            }
            if (head.failure != null) {
                head.result.completeExceptionally(head.failure);
            } else {
                head.result.complete(head.reply);
            }
        }
    }
}
