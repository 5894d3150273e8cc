package io.realtimegateway.transport;

/**
 * The one rule by which a peer is judged not to read, for every transport ({@link OutboundFlow} on a WebSocket's
 * channel, {@link SseStream} on an event stream): while the connection takes no more bytes, it is checked every
 * {@value OutboundFlow#CHECK_INTERVAL_MILLIS} ms, and the peer is slow when the bytes waiting for it exceed
 * {@link FlowLimits#maxQueuedBytes()} at two checks in a row, or when it has taken no more for
 * {@link FlowLimits#maxStallNanos()}. A burst that a reading peer drains within a check interval is never held against
 * it. Pure state; confined to the connection's event loop.
 */
final class SlowPeerRule {

    private final FlowLimits limits;
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

    /** A check while the connection still takes no more: whether its peer is slow, given the bytes waiting for it. */
    boolean slowAt(long pendingBytes, long nowNanos) {
        boolean over = pendingBytes > limits.maxQueuedBytes();
        boolean stalled = nowNanos - unwritableSince >= limits.maxStallNanos();
        if ((over && overAtLastCheck) || stalled) {
            return true;
        }
        overAtLastCheck = over;
        return false;
    }
}
