package io.realtimegateway.upgrade;

import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.metrics.GatewayMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Upgrades per client address ({@code gateway.upgrade-rate.rate} per second, bursts of
 * {@code gateway.upgrade-rate.burst}): over it, {@code 429} with {@code Retry-After} in seconds, before any token is
 * verified. The address is the socket's, or {@code X-Forwarded-For}'s only behind a trusted proxy (see
 * {@link ClientAddresses}). Non-blocking.
 */
@ApplicationScoped
@Priority(UpgradeCheckOrder.RATE)
public class UpgradeRateCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(UpgradeRateCheck.class);

    /** The most client addresses tracked one by one; beyond it they share a bucket. */
    static final int MAX_ADDRESSES = 100_000;

    @Inject
    GatewayMetrics metrics;

    private final UpgradeRateLimiter limiter;
    private final ClientAddresses addresses;

    @Inject
    public UpgradeRateCheck(GatewayConfig config) {
        this.limiter = new UpgradeRateLimiter(config.upgradeRate().rate(), config.upgradeRate().burst(), MAX_ADDRESSES,
                System.nanoTime());
        this.addresses = new ClientAddresses(config.trustedProxies().orElse(List.of()));
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String client = addresses.clientOf(peer, request.getHeader("X-Forwarded-For"));
        long wait = limiter.tryAcquire(client, System.nanoTime());
        if (wait == 0) {
            return CheckResult.permitUpgrade();
        }
        long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        metrics.upgradeRefused(429, "upgrade_rate");
        metrics.rateLimited("upgrade");
        LOG.debugf("upgrade refused: %s over the upgrade rate", client);
        return CheckResult.rejectUpgrade(429, Map.of("Retry-After", List.of(Long.toString(seconds))));
    }

    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        limiter.sweep(System.nanoTime());
    }
}
