package io.realtimegateway.security;

import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.connection.ConnectionRegistry;
import io.realtimegateway.metrics.GatewayMetrics;
import io.smallrye.mutiny.Uni;

/**
 * At most {@code gateway.limits.max-connections-per-user} open connections per user on this instance (every endpoint
 * together): one more is refused with {@code 429} before the upgrade. Runs after the token check, which named the
 * user. The count is of open connections, so several upgrades of one user in the same instant can pass together
 * (at most one per event loop beyond the limit). Non-blocking.
 */
@ApplicationScoped
@Priority(UpgradeCheckOrder.USER_LIMIT)
public class UserConnectionLimitCheck implements HttpUpgradeCheck {

    private static final Map<String, List<String>> RETRY = Map.of("Retry-After", List.of("5"));

    @Inject
    ConnectionRegistry registry;

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        Identity identity = UpgradeIdentity.of(context.userData());
        if (identity == null || registry.connectionsOf(identity.user()) < config.limits().maxConnectionsPerUser()) {
            return CheckResult.permitUpgrade();
        }
        metrics.upgradeRefused(429, "user_connections");
        return CheckResult.rejectUpgrade(429, RETRY);
    }
}
