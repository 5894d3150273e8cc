package io.realtimegateway.upgrade;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.realtimegateway.ratelimit.TokenBucket;

/**
 * Upgrades per client address: one token bucket per address. Memory is bounded: at most {@code maxAddresses} buckets
 * are kept; beyond that, new addresses share one overflow bucket (fairness degrades under a flood of addresses, memory
 * does not), and {@link #sweep} drops buckets that have been idle long enough to be full again. Thread-safe.
 */
public final class UpgradeRateLimiter {

    private record Entry(TokenBucket bucket, long[] lastUsed) {
    }

    private final double ratePerSecond;
    private final int burst;
    private final int maxAddresses;
    private final ConcurrentMap<String, Entry> buckets = new ConcurrentHashMap<>();
    private final Entry overflow;

    public UpgradeRateLimiter(double ratePerSecond, int burst, int maxAddresses, long nowNanos) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxAddresses = maxAddresses;
        this.overflow = new Entry(new TokenBucket(ratePerSecond, burst, nowNanos), new long[] { nowNanos });
    }

    /** @return 0 when admitted, otherwise the nanoseconds until the address may try again */
    public long tryAcquire(String address, long nowNanos) {
        Entry entry = buckets.get(address);
        if (entry == null) {
            entry = buckets.size() < maxAddresses
                    ? buckets.computeIfAbsent(address,
                            a -> new Entry(new TokenBucket(ratePerSecond, burst, nowNanos), new long[] { nowNanos }))
                    : overflow;
        }
        synchronized (entry) {
            entry.lastUsed()[0] = nowNanos;
            return entry.bucket().tryTake(nowNanos) ? 0 : Math.max(1, entry.bucket().nanosUntilToken(nowNanos));
        }
    }

    /** Drops the buckets of addresses idle long enough for their bucket to be full. */
    public void sweep(long nowNanos) {
        long refill = (long) Math.ceil(burst / ratePerSecond * 1e9);
        Iterator<Map.Entry<String, Entry>> it = buckets.entrySet().iterator();
        while (it.hasNext()) {
            Entry entry = it.next().getValue();
            synchronized (entry) {
                if (nowNanos - entry.lastUsed()[0] > refill) {
                    it.remove();
                }
            }
        }
    }

    public int trackedAddresses() {
        return buckets.size();
    }
}
