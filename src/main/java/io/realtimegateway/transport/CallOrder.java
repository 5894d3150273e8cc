package io.realtimegateway.transport;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Keeps the writes to one connection in call order when they come from several threads. A write made on the
 * connection's event loop may run at once only if no write handed over from another thread is still queued for it;
 * otherwise it queues behind them. (Running it at once regardless, as Netty's and Vert.x's own write paths do, lets
 * it overtake the queued ones: the messages of one room reach a member out of order when their deliveries are made
 * on different threads, as happens when Redis replies are completed on whichever thread is draining them.)
 * <p>
 * One per connection: a counter of the tasks handed over and not yet run. Threading: any thread; never blocks.
 */
final class CallOrder {

    private static final AtomicIntegerFieldUpdater<CallOrder> QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(CallOrder.class, "queued");

    private volatile int queued;

    /**
     * Runs {@code task} on the connection's event loop after every task handed over before it.
     *
     * @param onLoop whether the caller is on the connection's event loop
     * @param loop where a task is queued for the event loop (first in, first out)
     * @throws RuntimeException what {@code loop} throws when it rejects the task (it is shutting down); the task will
     *         then never run
     */
    void run(boolean onLoop, Executor loop, Runnable task) {
        if (onLoop && queued == 0) {
            task.run();
            return;
        }
        QUEUED.incrementAndGet(this);
        try {
            loop.execute(() -> {
                QUEUED.decrementAndGet(this);
                task.run();
            });
        } catch (RuntimeException rejected) {
            QUEUED.decrementAndGet(this);
            throw rejected;
        }
    }
}
