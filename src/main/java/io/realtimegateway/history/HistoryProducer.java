package io.realtimegateway.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.RedisLink;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * Provides the message history that goes with the configured broker: in memory with {@code memory}, in Redis Streams
 * with {@code redis} (so that every instance numbers and replays a room's messages alike). Sweeps idle topics out of
 * the in-memory history.
 */
@ApplicationScoped
public class HistoryProducer {

    @Inject
    GatewayConfig config;

    private volatile MemoryHistory memory;

    @Produces
    @ApplicationScoped
    MessageHistory history(Instance<Redis> redis, Vertx vertx, MeterRegistry meters) {
        GatewayConfig.History limits = config.history();
        if ("redis".equalsIgnoreCase(config.broker().trim())) {
            // Only with the redis broker is a Redis client created (the broker producer rejects unknown names).
            RedisLink link = new RedisLink(redis.get(), vertx, "history", RedisHistory.SCRIPTS,
                    config.redis().commandTimeout());
            link.start();
            return new RedisHistory(link, config.redis().channelPrefix(), limits.maxMessages(),
                    limits.maxAge().toMillis(), System::currentTimeMillis);
        }
        memory = new MemoryHistory(limits.maxMessages(), limits.maxAge().toMillis(), limits.maxBytes(),
                System::currentTimeMillis);
        Gauge.builder("gateway.history.bytes", memory, MemoryHistory::bytes).baseUnit("bytes")
                .description("bytes of messages the in-memory history holds").register(meters);
        FunctionCounter.builder("gateway.history.evictions", memory, MemoryHistory::evictions)
                .description("messages the in-memory history let go of to stay within gateway.history.max-bytes")
                .register(meters);
        return memory;
    }

    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        MemoryHistory current = memory;
        if (current != null) {
            current.sweep();
        }
    }
}
