package io.realtimegateway.upgrade;

import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.lifecycle.Draining;
import io.realtimegateway.metrics.GatewayMetrics;
import io.smallrye.mutiny.Uni;

/** While the instance drains, new upgrades get {@code 503} with {@code Retry-After}, so clients go elsewhere. */
@ApplicationScoped
@Priority(UpgradeCheckOrder.DRAIN)
public class DrainUpgradeCheck implements HttpUpgradeCheck {

    private static final Map<String, List<String>> RETRY = Map.of("Retry-After", List.of("1"));

    @Inject
    Draining draining;

    @Inject
    GatewayMetrics metrics;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (draining.isDraining()) {
            metrics.upgradeRefused(503, "draining");
            return CheckResult.rejectUpgrade(503, RETRY);
        }
        return CheckResult.permitUpgrade();
    }
}
