package io.realtimegateway.upgrade;

import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.Identity;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.session.ConnectionRegistry;
import io.smallrye.mutiny.Uni;

/**
 * At most {@code gateway.limits.max-connections-per-user} open connections per user on this instance (every endpoint
 * together, event streams of the HTTP fallback included): one more is refused with {@code 429} before the upgrade.
 * Runs after the token check, which named the user. The admitted upgrade takes one of the user's {@link UserSlots}
 * atomically, and gives it back when its connection ends ({@link ConnectionEnd}: a WebSocket's TCP connection, an event
 * stream's response), so concurrent upgrades never pass the cap together. A connection whose end cannot be known is
 * counted from the open connections instead. Non-blocking.
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

    @Inject
    UserSlots slots;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        Identity identity = UpgradeIdentity.of(context.userData());
        if (identity == null) {
            return CheckResult.permitUpgrade();
        }
        String user = identity.user();
        int max = config.limits().maxConnectionsPerUser();
        if (!ConnectionEnd.known(context)) {
            if (registry.connectionsOf(user) < max) {
                return CheckResult.permitUpgrade();
            }
        } else if (slots.tryTake(user, max)) {
            ConnectionEnd.whenEnded(context, () -> slots.giveBack(user));
            return CheckResult.permitUpgrade();
        }
        metrics.upgradeRefused(429, "user_connections");
        return CheckResult.rejectUpgrade(429, RETRY);
    }
}
