package io.realtimegateway.lifecycle;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

/** Whether this instance is shutting down. Once set, it stays set. Thread-safe. */
@ApplicationScoped
public class Draining {

    private final AtomicBoolean draining = new AtomicBoolean();

    /** @return {@code true} for the one caller that started the drain, {@code false} if it had already started */
    boolean start() {
        return draining.compareAndSet(false, true);
    }

    public boolean isDraining() {
        return draining.get();
    }
}
