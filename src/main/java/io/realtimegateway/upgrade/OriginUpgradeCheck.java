package io.realtimegateway.upgrade;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.metrics.GatewayMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The defence against cross-site WebSocket hijacking: browsers send the page's {@code Origin} with every upgrade and
 * CORS does not apply to WebSockets, so an upgrade whose {@code Origin} is not in {@code gateway.allowed-origins} is
 * refused with {@code 403} before the rate, the token and the user's connections are checked (only the echo switch
 * and the drain come first, {@link UpgradeCheckOrder}), even when it carries a valid cookie. An upgrade without
 * {@code Origin} (not a browser) is admitted only when the token it will be judged by comes from an
 * {@code Authorization: Bearer} header ({@link TokenLocator}), which a cross-site page cannot make a browser send: a
 * token in the query string or a cookie always needs an allowed {@code Origin}, whatever other headers come with it.
 * One exception, for the event streams of the HTTP fallback only: a browser sends no {@code Origin} with a same-origin
 * GET, so a stream opened by a page of the gateway's own origin is admitted when the browser marks it
 * {@code Sec-Fetch-Site: same-origin} (a forbidden header name: no page can set it). WebSocket upgrades always carry
 * {@code Origin} from a browser, and are judged as above. Cheap and non-blocking.
 */
@ApplicationScoped
@Priority(UpgradeCheckOrder.ORIGIN)
public class OriginUpgradeCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(OriginUpgradeCheck.class);

    @Inject
    GatewayMetrics metrics;

    private final OriginPolicy policy;
    private final String cookieName;

    @Inject
    public OriginUpgradeCheck(GatewayConfig config) {
        this.policy = new OriginPolicy(config.allowedOrigins().orElse(List.of()));
        this.cookieName = config.auth().cookieName();
    }

    void onStart(@Observes StartupEvent event) {
        if (policy.isEmpty()) {
            LOG.warn("No browser Origin is allowed to open a WebSocket: set gateway.allowed-origins "
                    + "(env GATEWAY_ALLOWED_ORIGINS), e.g. https://app.example.com,https://*.example.com");
        }
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            if (TokenLocator.locate(request, cookieName).source() == TokenLocator.Source.HEADER) {
                return CheckResult.permitUpgrade();
            }
            if (EventStreams.isEventStream(context.endpointId())
                    && "same-origin".equals(request.getHeader("Sec-Fetch-Site"))) {
                // A browser's same-origin GET carries no Origin (an EventSource of a page the gateway serves), but
                // says where it comes from in a header no page can set.
                return CheckResult.permitUpgrade();
            }
            metrics.upgradeRefused(403, "no_origin");
            LOG.debugf("upgrade refused: no Origin, and the token is not from an Authorization: Bearer header, from %s",
                    request.remoteAddress());
            return CheckResult.rejectUpgrade(403);
        }
        if (policy.allows(origin)) {
            return CheckResult.permitUpgrade();
        }
        metrics.upgradeRefused(403, "origin");
        LOG.debugf("upgrade refused: Origin %s is not allowed", origin);
        return CheckResult.rejectUpgrade(403);
    }
}
