package io.realtimegateway.transport;

/**
 * The one rule by which a peer is judged not to read, for every transport ({@link OutboundFlow} on a WebSocket's
 * channel, {@link SseStream} on an event stream): while the connection takes no more bytes, it is checked every
 * {@value OutboundFlow#CHECK_INTERVAL_MILLIS} ms, and the peer is slow when the bytes waiting for it exceed
 * {@link FlowLimits#maxQueuedBytes()} at two checks in a row, or when it has taken no more for
 * {@link FlowLimits#maxStallNanos()}. A burst that a reading peer drains within a check interval is never held against
 * it. It reports a slow peer once, to {@link #onSlow}. State confined to the connection's event loop, except
 * {@link #onSlow}, which is safe from any thread.
 */
final class SlowPeerRule {

    /** What a check found. */
    enum Verdict {
        /** The connection takes bytes again. */
        CAUGHT_UP,
        /** Still not, and not for long enough yet: check again. */
        WATCH,
        /** The peer is slow (now reported); stop checking. */
        SLOW
    }

    private final FlowLimits limits;
    private volatile Runnable onSlow = () -> {
    };
    private boolean slow;
    /** {@link System#nanoTime()} when the connection stopped taking bytes; 0 while it takes them. */
    private long unwritableSince;
    private boolean overAtLastCheck;

    SlowPeerRule(FlowLimits limits) {
        this.limits = limits;
    }

    /** The connection takes no more bytes (from now, unless it already did not). */
    void unwritable(long nowNanos) {
        if (unwritableSince == 0) {
            unwritableSince = Math.max(1, nowNanos);
        }
    }

    /** The connection takes bytes again: the clock and the count start afresh. */
    void caughtUp() {
        unwritableSince = 0;
        overAtLastCheck = false;
    }

    /** Where to report a slow peer; told once, on the event loop. */
    void onSlow(Runnable action) {
        this.onSlow = action;
    }

    /** Whether the peer was found slow (then nothing is checked any more). */
    boolean isSlow() {
        return slow;
    }

    /**
     * A check every {@value OutboundFlow#CHECK_INTERVAL_MILLIS} ms while the connection took no more: whether it
     * caught up, is still to be watched, or its peer is slow (reported now), given the bytes waiting for it.
     */
    Verdict check(boolean writable, long pendingBytes, long nowNanos) {
        if (writable) {
            caughtUp();
            return Verdict.CAUGHT_UP;
        }
        boolean over = pendingBytes > limits.maxQueuedBytes();
        boolean stalled = nowNanos - unwritableSince >= limits.maxStallNanos();
        if ((over && overAtLastCheck) || stalled) {
            slow = true;
            onSlow.run();
            return Verdict.SLOW;
        }
        overAtLastCheck = over;
        return Verdict.WATCH;
    }
}
