package io.realtimegateway.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import io.realtimegateway.config.GatewayConfig;

/** Provides the message history that goes with the configured broker, and sweeps idle topics out of it. */
@ApplicationScoped
public class HistoryProducer {

    @Inject
    GatewayConfig config;

    private volatile MemoryHistory memory;

    @Produces
    @ApplicationScoped
    MessageHistory history() {
        memory = new MemoryHistory(config.history().maxMessages(), config.history().maxAge().toMillis(),
                System::currentTimeMillis);
        return memory;
    }

    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        MemoryHistory current = memory;
        if (current != null) {
            current.sweep();
        }
    }
}
