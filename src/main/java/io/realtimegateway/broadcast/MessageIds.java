package io.realtimegateway.broadcast;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Issues message ids unique across instances: a random per-process prefix and a counter, so ids from one instance
 * sort in issue order when compared by their counter part. Thread-safe and lock-free.
 */
@ApplicationScoped
public class MessageIds {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public MessageIds() {
        SecureRandom random = new SecureRandom();
        this.prefix = Long.toString(random.nextLong() >>> 16, 36);
    }

    public String next() {
        return prefix + "-" + Long.toString(counter.incrementAndGet(), 36);
    }
}
