package io.realtimegateway.redis;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Completes the replies of commands pipelined on one connection in the order the commands were sent. Redis executes
 * and answers a connection's commands in order, but the client library completes each reply's future on the caller's
 * context, so callers on different threads could observe them out of order; callers that publish in reply order
 * (history, then broker) rely on this.
 * <p>
 * Threading: {@link #send} may be called from any thread. One thread at a time completes replies, oldest first: the
 * one that saw the oldest outstanding reply arrive, which goes on with every later one already answered. The lock is
 * held only to reorder, never while completing.
 */
final class InOrder {

    private static final class Slot {
        final CompletableFuture<Response> result = new CompletableFuture<>();
        Response reply;
        Throwable failure;
        boolean done;
    }

    private final ArrayDeque<Slot> outstanding = new ArrayDeque<>();
    /** Whether a thread is completing slots; only one does at a time, so completions cannot overtake each other. */
    private boolean draining;

    CompletionStage<Response> send(RedisConnection connection, Request request) {
        Slot slot = new Slot();
        synchronized (this) {
            outstanding.addLast(slot);
            // Sent under the lock so that the order of slots is the order on the wire.
            connection.send(request).onComplete(result -> {
                synchronized (this) {
                    slot.done = true;
                    slot.reply = result.succeeded() ? result.result() : null;
                    slot.failure = result.succeeded() ? null : result.cause();
                }
                drain();
            });
        }
        return slot.result;
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
