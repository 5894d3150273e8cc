package io.realtimegateway.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts WebSocket upgrades to paths that have no endpoint (answered {@code 404} by the router) as refusals with reason
 * {@code unknown_path}. Looks only at requests that ask for an upgrade; adds nothing to other requests' work but one
 * header lookup.
 */
@ApplicationScoped
public class UnknownUpgradePathCounter {

    @Inject
    GatewayMetrics metrics;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::count);
    }

    private void count(RoutingContext context) {
        String upgrade = context.request().getHeader(HttpHeaders.UPGRADE);
        if (upgrade != null && "websocket".equalsIgnoreCase(upgrade)) {
            context.addEndHandler(ended -> {
                if (context.response().getStatusCode() == 404) {
                    metrics.upgradeRefused(404, "unknown_path");
                }
            });
        }
        context.next();
    }
}
