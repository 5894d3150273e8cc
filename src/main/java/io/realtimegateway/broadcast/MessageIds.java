package io.realtimegateway.broadcast;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.message.InstanceId;

/**
 * Issues message ids unique across instances: the {@link InstanceId} and a counter, so ids from one instance
 * sort in issue order when compared by their counter part. Thread-safe and lock-free.
 */
@ApplicationScoped
public class MessageIds {

    @Inject
    InstanceId instance;

    private final AtomicLong counter = new AtomicLong();

    public String next() {
        return instance.value() + "-" + Long.toString(counter.incrementAndGet(), 36);
    }
}
