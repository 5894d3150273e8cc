package io.realtimegateway.redis;

/**
 * The one reconnect schedule of every Redis connection: 100 ms, doubling up to 5 s, back to 100 ms once a connection
 * is ready again. Pure; not thread-safe (each connection uses its own, from its own context).
 */
final class Backoff {

    static final long MIN_MS = 100;
    static final long MAX_MS = 5_000;

    private long nextMs = MIN_MS;

    /** @return how long to wait before the next attempt; each call doubles the following one, up to {@link #MAX_MS} */
    long next() {
        long delay = nextMs;
        nextMs = Math.min(MAX_MS, nextMs * 2);
        return delay;
    }

    /** A connection is ready: the next failure starts over at {@link #MIN_MS}. */
    void reset() {
        nextMs = MIN_MS;
    }
}
