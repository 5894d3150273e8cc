package io.realtimegateway.ratelimit;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code ratePerSecond}; each admitted event takes one.
 * Time comes from the caller (nanoseconds), so it is testable without waiting. Not thread-safe: one connection's
 * inbound frames are handled one at a time.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** @return {@code true} when a token was available and taken */
    public boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            lastNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until a token is available (0 if one is). */
    public long nanosUntilToken(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastNanos);
        double available = Math.min(burst, tokens + elapsed * ratePerNano);
        return available >= 1 ? 0 : (long) Math.ceil((1 - available) / ratePerNano);
    }
}
