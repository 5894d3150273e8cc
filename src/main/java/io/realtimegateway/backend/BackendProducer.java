package io.realtimegateway.backend;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.broadcast.Broadcaster;
import io.realtimegateway.broadcast.Broker;
import io.realtimegateway.broadcast.LocalFanout;
import io.realtimegateway.broadcast.MemoryBroker;
import io.realtimegateway.broadcast.RedisBroker;
import io.realtimegateway.config.BrokerKind;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.config.PubSubKind;
import io.realtimegateway.history.MemoryHistory;
import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.history.RedisHistory;
import io.realtimegateway.message.InstanceId;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.presence.MemoryPresence;
import io.realtimegateway.presence.Presence;
import io.realtimegateway.presence.RedisPresence;
import io.realtimegateway.redis.NodeClients;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.redis.RedisScript;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.LocalTopicListener;
import io.realtimegateway.session.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * The one place that chooses the backend named by {@code gateway.broker} ({@link BrokerKind}) and makes its three
 * parts: the {@link Broker}, the {@link MessageHistory} and the {@link Presence}, in memory or in Redis, plus the two
 * listeners the connection registry tells of local changes (which topics this instance needs from Redis, who entered
 * or left a room). With {@code memory} no Redis client is ever created. With {@code redis} each part opens its own
 * dedicated connections ({@link RedisLink}) at start, so the instance starts without Redis and becomes ready when it
 * answers; they are closed when the application stops ({@code @Disposes}), after this instance has left presence.
 */
@ApplicationScoped
public class BackendProducer {

    private static final Logger LOG = Logger.getLogger(BackendProducer.class);

    @Inject
    GatewayConfig config;

    @Inject
    InstanceId instance;

    @Inject
    Vertx vertx;

    /** Resolved only with {@code redis}: with {@code memory} the service never creates a Redis client. */
    @Inject
    Instance<Redis> redis;

    private NodeClients nodeClients;

    @Produces
    @ApplicationScoped
    Broker broker(LocalFanout fanout, GatewayMetrics metrics, MessageHistory history) {
        return switch (config.broker()) {
            case MEMORY -> new MemoryBroker(fanout);
            case REDIS -> {
                RedisBroker broker = new RedisBroker(redis.get(), vertx, nodeClients()::client, fanout, config.redis(),
                        config.history().positionCheck(), instance.value(), history, metrics);
                broker.start();
                yield broker;
            }
        };
    }

    @Produces
    @ApplicationScoped
    MessageHistory history(MeterRegistry meters) {
        GatewayConfig.History limits = config.history();
        if (config.broker() == BrokerKind.REDIS) {
            return new RedisHistory(link("history", RedisHistory.SCRIPTS), config.redis().channelPrefix(),
                    limits.maxMessages(), limits.maxAge().toMillis(), System::currentTimeMillis);
        }
        MemoryHistory memory = new MemoryHistory(limits.maxMessages(), limits.maxAge().toMillis(), limits.maxBytes(),
                System::currentTimeMillis);
        Gauge.builder("gateway.history.bytes", memory, MemoryHistory::bytes).baseUnit("bytes")
                .description("bytes of messages the in-memory history holds").register(meters);
        FunctionCounter.builder("gateway.history.evictions", memory, MemoryHistory::evictions)
                .description("messages the in-memory history let go of to stay within gateway.history.max-bytes")
                .register(meters);
        return memory;
    }

    @Produces
    @ApplicationScoped
    Presence presence(Broadcaster broadcaster) {
        if (config.broker() == BrokerKind.MEMORY) {
            return new MemoryPresence(broadcaster);
        }
        GatewayConfig.Presence settings = config.presence();
        if (settings.instanceTimeout().compareTo(settings.refreshInterval()) <= 0) {
            throw new IllegalStateException("gateway.presence.instance-timeout (" + settings.instanceTimeout()
                    + ") must exceed gateway.presence.refresh-interval (" + settings.refreshInterval() + ")");
        }
        return new RedisPresence(link("presence", RedisPresence.SCRIPTS), config.redis().channelPrefix(),
                instance.value(), settings.instanceTimeout().toMillis(), config.redis().pubSub() == PubSubKind.AUTO);
    }

    /** The broker subscribes to what this instance's connections need; the memory broker needs nothing. */
    @Produces
    @ApplicationScoped
    LocalTopicListener localTopics(Broker broker) {
        // The injected broker is a client proxy, which implements Broker only: look at the bean behind it.
        return ClientProxy.unwrap(broker) instanceof LocalTopicListener listener ? listener : LocalTopicListener.NONE;
    }

    /** Every room membership change of the registry goes to presence. */
    @Produces
    @ApplicationScoped
    MembershipListener memberships(Presence presence) {
        return new MembershipListener() {
            @Override
            public void entered(ClientSession session, String room) {
                presence.entered(room, session.user());
            }

            @Override
            public void exited(ClientSession session, String room) {
                presence.exited(room, session.user());
            }
        };
    }

    /**
     * Makes the backend at start, so that a configuration error stops the start rather than the first message, the
     * Redis connections open before the first client comes, and presence sees every change from the first connection.
     */
    void onStart(@Observes StartupEvent event, Broker broker, MessageHistory history, Presence presence) {
        LOG.infof("Backend in use: broker %s, history %s, presence %s (instance %s)", broker.name(), history.name(),
                presence.name(), instance.value());
    }

    /**
     * Removes this instance from presence at once when it stops, after the drain closed its connections (the drain
     * observes the shutdown earlier), so that other instances do not list its users until it times out. Waits at most
     * one second: an instance that cannot reach Redis times out as if it had died.
     */
    void onStop(@Observes ShutdownEvent event, Presence presence) {
        if (ClientProxy.unwrap(presence) instanceof RedisPresence redisPresence) {
            try {
                redisPresence.retire().await().atMost(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOG.infof("presence: could not leave Redis cleanly (%s); other instances will time this one out",
                        e.getMessage());
            }
        }
    }

    void close(@Disposes Broker broker) {
        if (broker instanceof RedisBroker redisBroker) {
            redisBroker.close();
        }
        NodeClients made = nodeClients;
        if (made != null) {
            made.close();
        }
    }

    void close(@Disposes MessageHistory history) {
        if (history instanceof RedisHistory redisHistory) {
            redisHistory.close();
        }
    }

    void close(@Disposes Presence presence) {
        if (presence instanceof RedisPresence redisPresence) {
            redisPresence.close();
        }
    }

    /**
     * Clients of single cluster nodes (for the sharded subscriber connections on a Redis Cluster), with the scheme and
     * credentials of the first of Quarkus's {@code quarkus.redis.hosts}.
     */
    private synchronized NodeClients nodeClients() {
        if (nodeClients == null) {
            String hosts = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class)
                    .orElse("redis://localhost:6379");
            nodeClients = new NodeClients(vertx, hosts.split(",")[0].trim());
        }
        return nodeClients;
    }

    private RedisLink link(String name, List<RedisScript> scripts) {
        RedisLink link = new RedisLink(redis.get(), vertx, name, scripts, config.redis().commandTimeout());
        link.start();
        return link;
    }
}
