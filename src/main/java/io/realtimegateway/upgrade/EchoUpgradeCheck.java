package io.realtimegateway.upgrade;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.Endpoint;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code /ws/echo} off unless {@code gateway.echo.enabled=true}: its upgrade is then refused with {@code 404},
 * before any other check, as for a path without an endpoint (and counted as one, {@code unknown_path}). Applies to the
 * echo endpoint only. Cheap and non-blocking.
 */
@ApplicationScoped
@Priority(UpgradeCheckOrder.ECHO_SWITCH)
public class EchoUpgradeCheck implements HttpUpgradeCheck {

    private final boolean enabled;

    @Inject
    public EchoUpgradeCheck(GatewayConfig config) {
        this.enabled = config.echo().enabled();
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return Endpoint.ECHO_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return enabled ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(404);
    }
}
