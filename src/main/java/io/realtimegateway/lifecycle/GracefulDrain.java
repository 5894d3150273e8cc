package io.realtimegateway.lifecycle;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.CloseCodes;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;

/**
 * Ends the instance's connections in an orderly way when it is told to stop (SIGTERM, as Kubernetes, Knative and
 * Cloud Run do): readiness turns DOWN and new upgrades get {@code 503} (see {@code upgrade.DrainUpgradeCheck}), every open
 * connection gets close {@code 1001} "server shutting down" so its client reconnects to another instance, and the
 * shutdown waits up to {@code gateway.shutdown.drain-timeout} for the closes before the HTTP server stops; connections
 * still open then are terminated (TCP cut), with up to one more second for them to go. Runs once: a later call
 * returns at once, whether the first drain is still under way or done.
 * <p>
 * Threading: runs on the thread that stops the application (Quarkus's shutdown thread, or the drain thread of
 * {@link TermSignalDrain}), which may block; the closes themselves are queued to each connection's event loop.
 */
@ApplicationScoped
public class GracefulDrain {

    private static final Logger LOG = Logger.getLogger(GracefulDrain.class);

    @Inject
    Draining draining;

    @Inject
    ConnectionRegistry registry;

    @Inject
    GatewayConfig config;

    /** Runs before other shutdown observers, while the HTTP server still carries the close frames. */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        drain();
    }

    private Duration timeout;

    /** The shutdown thread polls the registry; it is not an event loop, so it may wait. */
    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the settings the drain needs, so that nothing is looked up during shutdown. */
    public void prepare() {
        timeout = config.shutdown().drainTimeout();
    }

    /** @return how long the drain took */
    public Duration drain() {
        if (!draining.start()) {
            return Duration.ZERO;
        }
        long start = System.nanoTime();
        int open = registry.connectionCount();
        for (ClientSession session : registry.all()) {
            session.close(CloseCodes.GOING_AWAY);
        }
        if (timeout == null) {
            prepare();
        }
        long deadline = start + timeout.toNanos();
        while (registry.connectionCount() > 0 && System.nanoTime() < deadline) {
            pause();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int left = registry.connectionCount();
        if (left == 0) {
            if (open > 0) {
                LOG.infof("Drained %d connections in %d ms", open, took.toMillis());
            }
            return took;
        }
        LOG.warnf("Drain timeout: %d of %d connections still open after %d ms; terminating them", left, open,
                took.toMillis());
        for (ClientSession session : registry.all()) {
            session.terminate();
        }
        long cutDeadline = System.nanoTime() + 1_000_000_000L;
        while (registry.connectionCount() > 0 && System.nanoTime() < cutDeadline) {
            pause();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
