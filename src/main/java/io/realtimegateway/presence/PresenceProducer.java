package io.realtimegateway.presence;

import java.security.SecureRandom;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.realtimegateway.broadcast.Broker;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.session.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * Provides the presence that goes with the configured broker (in memory with {@code memory}, in Redis with
 * {@code redis}), feeds it every room membership change of the registry, and refreshes it on schedule.
 */
@ApplicationScoped
public class PresenceProducer {

    private static final Logger LOG = Logger.getLogger(PresenceProducer.class);

    @Inject
    GatewayConfig config;

    private volatile RedisPresence redisPresence;

    @Produces
    @ApplicationScoped
    Presence presence(Broker broker, ConnectionRegistry registry, Instance<Redis> redis, Vertx vertx) {
        Presence presence;
        if ("redis".equalsIgnoreCase(config.broker().trim())) {
            GatewayConfig.Presence settings = config.presence();
            if (settings.instanceTimeout().compareTo(settings.refreshInterval()) <= 0) {
                throw new IllegalStateException("gateway.presence.instance-timeout (" + settings.instanceTimeout()
                        + ") must exceed gateway.presence.refresh-interval (" + settings.refreshInterval() + ")");
            }
            RedisLink link = new RedisLink(redis.get(), vertx, "presence", RedisPresence.SCRIPTS,
                    config.redis().commandTimeout());
            link.start();
            redisPresence = new RedisPresence(link, config.redis().channelPrefix(),
                    Long.toString(new SecureRandom().nextLong() >>> 1, 36), settings.instanceTimeout().toMillis());
            presence = redisPresence;
        } else {
            presence = new MemoryPresence(broker);
        }
        registry.watchMembers(new MembershipListener() {
            @Override
            public void entered(ClientSession session, String room) {
                presence.entered(room, session.user());
            }

            @Override
            public void exited(ClientSession session, String room) {
                presence.exited(room, session.user());
            }
        });
        return presence;
    }

    /** Creates the presence at start, so that it sees every membership change from the first connection on. */
    void onStart(@Observes StartupEvent event, Presence presence) {
        LOG.infof("Presence in use: %s", presence.name());
    }

    /**
     * Removes this instance from presence at once when it stops, after the drain closed its connections (the drain
     * observes the shutdown earlier), so that other instances do not list its users until it times out. Waits at most
     * one second: an instance that cannot reach Redis times out as if it had died.
     */
    void onStop(@Observes ShutdownEvent event) {
        RedisPresence current = redisPresence;
        if (current != null) {
            try {
                current.retire().await().atMost(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOG.infof("presence: could not leave Redis cleanly (%s); other instances will time this one out",
                        e.getMessage());
            }
        }
    }

    @Scheduled(every = "${gateway.presence.refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        RedisPresence current = redisPresence;
        if (current != null) {
            current.refresh();
        }
    }
}
