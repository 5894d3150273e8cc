package io.realtimegateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import io.realtimegateway.lifecycle.Draining;

/** Readiness is DOWN from the moment the instance starts draining, so load balancers stop sending it clients. */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {

    @Inject
    Draining draining;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("connections")
                .status(!draining.isDraining())
                .withData("draining", draining.isDraining())
                .build();
    }
}
