package io.realtimegateway.transport;

import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * One timer for the far deadlines of many connections (a token's expiry, a maximum connection age): a hashed wheel
 * (Netty's {@code HashedWheelTimer}) on one thread of its own, ticking every {@value #TICK_MILLIS} ms. A deadline
 * costs one small entry, made and cancelled in constant time; an event-loop timer costs a scheduled task, a timer
 * handler and a context each, several hundred bytes per connection that sits idle for an hour.
 * <p>
 * Precision: a task runs between its deadline and one tick after it. Threading: {@link #after} and
 * {@link Deadline#cancel} may be called from any thread; tasks run on the wheel's thread, one at a time, so they must not block (sending a
 * frame or closing a connection is queued onto its event loop).
 */
@ApplicationScoped
public class DeadlineWheel {

    /** The wheel's tick: how late a deadline may run. */
    public static final long TICK_MILLIS = 100;

    /** A scheduled task, until it ran or was cancelled. */
    public interface Deadline {

        /** Keeps the task from running, if it has not started; idempotent. */
        void cancel();
    }

    private final HashedWheelTimer wheel = new HashedWheelTimer(
            new DefaultThreadFactory("gateway-deadlines", true), TICK_MILLIS, TimeUnit.MILLISECONDS, 512);

    /** Runs {@code task} on the wheel's thread {@code delayMillis} from now (within one tick after). */
    public Deadline after(long delayMillis, Runnable task) {
        Timeout timeout = wheel.newTimeout(ignored -> task.run(), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return timeout::cancel;
    }

    @PreDestroy
    void stop() {
        wheel.stop();
    }
}
