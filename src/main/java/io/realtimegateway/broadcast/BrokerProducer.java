package io.realtimegateway.broadcast;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.session.ConnectionRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/** Chooses the broker named by {@code gateway.broker}; an unknown name stops the start-up with one clear message. */
@ApplicationScoped
public class BrokerProducer {

    private static final Logger LOG = Logger.getLogger(BrokerProducer.class);

    @Produces
    @ApplicationScoped
    Broker broker(GatewayConfig config, LocalFanout fanout, ConnectionRegistry registry, Instance<Redis> redis,
            Vertx vertx, GatewayMetrics metrics) {
        String name = config.broker().trim().toLowerCase();
        return switch (name) {
            case "memory" -> new MemoryBroker(fanout);
            case "redis" -> {
                // Only now is a Redis client created: with 'memory' the service never contacts Redis.
                RedisBroker broker = new RedisBroker(redis.get(), vertx, fanout, config.redis(),
                        metrics.counter("gateway.redis.probe.misses")::increment);
                registry.listen(broker);
                broker.start();
                yield broker;
            }
            default -> throw new IllegalStateException("gateway.broker='" + config.broker()
                    + "' is not a known broker; use 'memory' (one instance) or 'redis' (many instances)");
        };
    }

    /**
     * Creates the broker and the history at start, so that a wrong {@code gateway.broker} fails the start, not the
     * first message, and their Redis connections open before the first client comes.
     */
    void onStart(@Observes StartupEvent event, Broker broker, MessageHistory history) {
        LOG.infof("Broker in use: %s; history: %s", broker.name(), history.name());
    }
}
