package io.realtimegateway.lifecycle;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The timeline of a drain, as arithmetic only (no clock, no connections). From the drain's start (SIGTERM):
 * <ol>
 * <li>{@code gateway.drain.delay}: nothing is closed (readiness is already DOWN, new upgrades get 503), so that load
 * balancers stop sending clients here before the first client is told to reconnect;</li>
 * <li>{@code gateway.drain.spread}: the connections are closed in batches about {@value #BATCH_INTERVAL_MILLIS} ms
 * apart,
 * the first at the start of the spread and the last at its end, the same number in each (give or take one);</li>
 * <li>the rest of {@code gateway.shutdown.drain-timeout}: the last closes complete; what is still open at its end is
 * cut, within {@link #CUT_ALLOWANCE}.</li>
 * </ol>
 * Every close carries a reconnect hint drawn uniformly from 0 to the {@link #hintWindowMillis() hint window} (the
 * spread,
 * at least one second): a client closed at {@code t} into the spread reconnects at {@code t + hint}, so the reconnects
 * of the instance spread over about twice the spread, most of them near its end, rather than over the first second.
 * <p>
 * The plan must fit its budget: delay + spread + {@link #CLOSE_ALLOWANCE} ≤ drain timeout, or {@link #of} refuses it.
 */
public final class DrainPlan {

    /** What the budget keeps after the last batch for its closes to complete (a round trip or a few). */
    public static final Duration CLOSE_ALLOWANCE = Duration.ofSeconds(1);

    /**
     * How long the cut of what is still open at the drain timeout may take; the drain timeout plus this must stay
     * inside
     * the platform's grace period.
     */
    public static final Duration CUT_ALLOWANCE = Duration.ofSeconds(1);

    static final long BATCH_INTERVAL_MILLIS = 100;

    private static final long MIN_HINT_WINDOW_MILLIS = 1000;

    private final Duration delay;
    private final Duration spread;
    private final Duration timeout;

    private DrainPlan(Duration delay, Duration spread, Duration timeout) {
        this.delay = delay;
        this.spread = spread;
        this.timeout = timeout;
    }

    /**
     * @throws IllegalArgumentException naming the keys and their values when a duration is negative or the delay and
     *         the spread leave less than {@link #CLOSE_ALLOWANCE} of the drain timeout
     */
    public static DrainPlan of(Duration delay, Duration spread, Duration timeout) {
        if (delay.isNegative() || spread.isNegative() || timeout.isNegative()) {
            throw new IllegalArgumentException("gateway.drain.delay (" + millis(delay) + "), gateway.drain.spread ("
                    + millis(spread) + ") and gateway.shutdown.drain-timeout (" + millis(timeout)
                    + ") must not be negative");
        }
        Duration needed = delay.plus(spread).plus(CLOSE_ALLOWANCE);
        if (needed.compareTo(timeout) > 0) {
            throw new IllegalArgumentException("The drain does not fit its budget: gateway.drain.delay (" + millis(delay)
                    + ") + gateway.drain.spread (" + millis(spread) + ") + " + millis(CLOSE_ALLOWANCE)
                    + " for the last closes to complete = " + millis(needed)
                    + ", more than gateway.shutdown.drain-timeout (" + millis(timeout)
                    + "). Shorten the delay or the spread, or raise the drain timeout (keeping it below the platform's"
                    + " termination grace period, Cloud Run: 10s)");
        }
        return new DrainPlan(delay, spread, timeout);
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }

    public Duration delay() {
        return delay;
    }

    public Duration spread() {
        return spread;
    }

    /** The whole budget, from the drain's start to the cut of what is still open. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * How many batches close {@code connections}: one per {@value #BATCH_INTERVAL_MILLIS} ms of spread plus one, no
     * more
     * than there are connections, and none for none.
     */
    public int batches(int connections) {
        long bySpread = spread.toMillis() / BATCH_INTERVAL_MILLIS + 1;
        return (int) Math.min(connections, bySpread);
    }

    /**
     * When batch {@code batch} (from 0) of {@code batches} closes, in nanoseconds from the drain's start: the delay,
     * then evenly from the start of the spread to its end.
     */
    public long batchAtNanos(int batch, int batches) {
        if (batches <= 1) {
            return delay.toNanos();
        }
        return delay.toNanos() + spread.toNanos() / (batches - 1) * batch;
    }

    /** How many of the {@code remaining} connections batch {@code batch} (from 0) of {@code batches} closes. */
    public static int batchSize(int remaining, int batch, int batches) {
        int left = batches - batch;
        return (remaining + left - 1) / left;
    }

    /** The largest reconnect hint: the spread, at least one second. */
    public long hintWindowMillis() {
        return Math.max(MIN_HINT_WINDOW_MILLIS, spread.toMillis());
    }

    /** A reconnect hint, uniform from 0 to {@link #hintWindowMillis()} inclusive, in milliseconds. */
    public long retryAfterMillis(RandomGenerator random) {
        return random.nextLong(hintWindowMillis() + 1);
    }
}
