package io.realtimegateway.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.message.Utf8;

/**
 * Every meter of the gateway, in one place, named by Micrometer conventions (Prometheus shows
 * {@code gateway.connections.opened} as {@code gateway_connections_opened_total}). docs/operations.md lists them.
 * Hot-path counters are created once and kept, so counting costs one atomic add. Thread-safe, non-blocking.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter sent;
    private final Counter sentBytes;
    private final Timer fanout;
    private final Map<Endpoint, Counter> received = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Counter> receivedBytes = new EnumMap<>(Endpoint.class);
    private final String broker;

    @Inject
    public GatewayMetrics(MeterRegistry registry, GatewayConfig config) {
        this.registry = registry;
        this.broker = config.broker().name().toLowerCase();
        // Counters of rare events exist from the start, at zero, so dashboards and alerts see them before they happen.
        counter("gateway.heartbeat.terminations");
        counter("gateway.slow.consumer.closes");
        counter("gateway.rate.limited", "scope", "message");
        counter("gateway.rate.limited", "scope", "upgrade");
        counter("gateway.broker.publish.errors", "broker", broker);
        for (Endpoint endpoint : Endpoint.values()) {
            received.put(endpoint, counter("gateway.messages.received", "endpoint", endpoint.tag()));
            receivedBytes.put(endpoint, counter("gateway.messages.received.bytes", "endpoint", endpoint.tag()));
        }
        this.sent = Counter.builder("gateway.messages.sent").description("Frames queued to clients")
                .register(registry);
        this.sentBytes = Counter.builder("gateway.messages.sent.bytes").baseUnit("bytes")
                .description("Bytes of frames queued to clients").register(registry);
        this.fanout = Timer.builder("gateway.broadcast.fanout")
                .description("Time to queue one message to every local recipient").register(registry);
    }

    public void connectionOpened(Endpoint endpoint) {
        counter("gateway.connections.opened", "endpoint", endpoint.tag()).increment();
    }

    public void connectionClosed(Endpoint endpoint, int code) {
        counter("gateway.connections.closed", "endpoint", endpoint.tag(), "code", Integer.toString(code)).increment();
    }

    /** A text message from a client: counted, with its UTF-8 length (what it took on the wire, less the header). */
    public void messageReceived(Endpoint endpoint, String text) {
        messageReceived(endpoint, Utf8.length(text));
    }

    /** A message from a client of {@code bytes} payload bytes (a binary frame's length). */
    public void messageReceived(Endpoint endpoint, int bytes) {
        received.get(endpoint).increment();
        receivedBytes.get(endpoint).increment(bytes);
    }

    public void frameSent(int bytes) {
        sent.increment();
        sentBytes.increment(bytes);
    }

    /** @param reason a short machine word: {@code no_token}, {@code invalid_token}, {@code role}, ... */
    public void upgradeRefused(int status, String reason) {
        counter("gateway.upgrades.refused", "status", Integer.toString(status), "reason", reason).increment();
    }

    public void heartbeatTerminated() {
        counter("gateway.heartbeat.terminations").increment();
    }

    /** @param scope {@code message} (inbound frames) or {@code upgrade} (upgrades per address) */
    public void rateLimited(String scope) {
        counter("gateway.rate.limited", "scope", scope).increment();
    }

    /** A message the broker could not take (it was delivered nowhere, or only locally; see {@code Broker}). */
    public void brokerPublishFailed() {
        counter("gateway.broker.publish.errors", "broker", broker).increment();
    }

    public void slowConsumerClosed() {
        counter("gateway.slow.consumer.closes").increment();
    }

    public void frameErrorClosed(int code) {
        counter("gateway.frame.errors", "code", Integer.toString(code)).increment();
    }

    public void handlerFailed(Endpoint endpoint) {
        counter("gateway.handler.failures", "endpoint", endpoint.tag()).increment();
    }

    public Timer fanoutTimer() {
        return fanout;
    }

    /** Any other counter, cached by name and tags. */
    public Counter counter(String name, String... tags) {
        String key = tags.length == 0 ? name : name + String.join("|", tags);
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
        }
        return counter;
    }
}
