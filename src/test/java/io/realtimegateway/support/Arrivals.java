package io.realtimegateway.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The bounded wait of the test clients for the next received item that matches; those before it are consumed. */
final class Arrivals {

    private Arrivals() {
    }

    /**
     * @param shown what an item looks like in the failure message
     * @param state how the connection stands, for the failure message ("" when open)
     */
    static <T> T next(BlockingQueue<T> queue, Predicate<T> match, Duration timeout, Function<T, Object> shown,
            Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Object> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                T item = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                if (item == null) {
                    throw new AssertionError("no matching frame within " + timeout + "; skipped "
                            + (skipped.size() > 5 ? skipped.subList(0, 5) + " and " + (skipped.size() - 5) + " more"
                                    : skipped)
                            + state.get());
                }
                skipped.add(shown.apply(item));
                if (match.test(item)) {
                    return item;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
