package io.realtimegateway.backend;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.presence.Presence;

/** The backend's scheduled upkeep: presence's liveness refresh, and the sweep of idle topics out of the history. */
@ApplicationScoped
public class BackendUpkeep {

    @Inject
    Presence presence;

    @Inject
    MessageHistory history;

    @Scheduled(every = "${gateway.presence.refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshPresence() {
        presence.refresh();
    }

    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepHistory() {
        history.sweep();
    }
}
