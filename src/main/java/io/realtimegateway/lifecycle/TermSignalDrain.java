package io.realtimegateway.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * Takes over SIGTERM in production so that a platform's stop request drains before anything closes: the default
 * handling would stop the HTTP server first (closing every WebSocket with 1000, which tells clients not to come back)
 * and exit with 143. With this, SIGTERM runs {@link GracefulDrain} (readiness DOWN and 503 to new upgrades at once,
 * then
 * 1001 with a reconnect hint to every client, spread over {@code gateway.drain.spread}), then stops Quarkus normally
 * and exits 0. A second SIGTERM while draining is ignored.
 * <p>
 * Only in the normal launch mode: dev and test runs keep Quarkus's own handling.
 * <p>
 * Why not the framework's shutdown delay ({@code quarkus.shutdown.delay-enabled=true} and an observer of
 * {@code ShutdownDelayInitiatedEvent}, which runs before the HTTP server stops and could drain on every shutdown path),
 * checked against Quarkus 3.33.2: on SIGTERM it runs inside the JVM's shutdown hook, so the process exits 143 instead
 * of the documented 0 that platforms and our tests rely on; and its {@code ShutdownRecorder} sleeps the whole
 * {@code quarkus.shutdown.delay} after the observers returned, on top of a drain that already took the delay and the
 * spread, so the two budgets would add up against the platform's grace period. The other paths (dev-mode stop,
 * Ctrl+C, {@code Quarkus.asyncExit}) therefore still close with 1000 as before.
 */
@ApplicationScoped
public class TermSignalDrain {

    private static final Logger LOG = Logger.getLogger(TermSignalDrain.class);

    @Inject
    GracefulDrain drain;

    @Inject
    Draining draining;

    private ClassLoader classLoader;

    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        // The signal arrives on a JVM thread outside Quarkus: give the drain thread the application's class loader,
        // and create the drain bean now rather than during shutdown.
        classLoader = Thread.currentThread().getContextClassLoader();
        drain.prepare();
        try {
            Signal.handle(new Signal("TERM"), signal -> onTerm());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warnf("SIGTERM cannot be handled here (%s); shutdown will not drain connections first", e.toString());
        }
    }

    private void onTerm() {
        if (draining.isDraining()) {
            LOG.info("SIGTERM again: already draining");
            return;
        }
        Thread thread = new Thread(() -> {
            LOG.info("SIGTERM: draining connections");
            drain.drain();
            Quarkus.asyncExit(0);
        }, "gateway-drain");
        thread.setDaemon(false);
        thread.setContextClassLoader(classLoader);
        thread.start();
    }
}
