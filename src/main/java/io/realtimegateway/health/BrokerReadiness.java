package io.realtimegateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.realtimegateway.broadcast.Broker;
import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.presence.Presence;

/**
 * Readiness of the broker: always UP for {@code memory}; for {@code redis}, DOWN with the reason while the subscriber
 * connection is down or the last publish failed, since messages do not cross instances then, and while the history's
 * connection is down, since messages then get no shared id and cannot be recovered, and while the presence
 * connection is down, since this instance's members then drop out of presence on other instances.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    @Inject
    Broker broker;

    @Inject
    MessageHistory history;

    @Inject
    Presence presence;

    @Override
    public HealthCheckResponse call() {
        String problem = broker.problem();
        if (problem == null) {
            problem = history.problem();
        }
        if (problem == null) {
            problem = presence.problem();
        }
        var response = HealthCheckResponse.named("broker").withData("broker", broker.name());
        return problem == null ? response.up().build() : response.down().withData("reason", problem).build();
    }
}
