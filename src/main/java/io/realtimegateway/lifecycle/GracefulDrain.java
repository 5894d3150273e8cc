package io.realtimegateway.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.CloseCodes;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;

/**
 * Ends the instance's connections in an orderly way when it is told to stop (SIGTERM, as Kubernetes, Knative and
 * Cloud Run do), on the timeline of {@link DrainPlan}: readiness turns DOWN and new upgrades get {@code 503} at once
 * (see {@code upgrade.DrainUpgradeCheck}); after {@code gateway.drain.delay} the open connections are closed in batches
 * spread over {@code gateway.drain.spread}, in random order, each with {@code 1001} and its own reconnect hint
 * {@code {"retryAfterMs":n}}, so that their clients reconnect to other instances a few at a time; then the drain waits
 * for the closes until {@code gateway.shutdown.drain-timeout} from its start. Connections still open then are
 * terminated (TCP cut), with up to {@link DrainPlan#CUT_ALLOWANCE} more for them to go. When every connection is gone
 * early (clients that
 * left by themselves) the drain ends early. Runs once: a later call returns at once, whether the first drain is still
 * under way or done.
 * <p>
 * The plan is read and checked at start-up: a delay and spread that do not fit the drain timeout stop the start with a
 * message naming the three keys.
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

    private volatile DrainPlan plan;

    /** Checks the plan against its budget, so that a configuration that cannot fit fails the start, not the drain. */
    void onStart(@Observes StartupEvent event) {
        prepare();
    }

    /** Runs before other shutdown observers, while the HTTP server still carries the close frames. */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        drain();
    }

    /**
     * Reads and checks the settings the drain needs, so that nothing is looked up during shutdown.
     *
     * @throws IllegalArgumentException when the delay and the spread do not fit the drain timeout
     */
    public void prepare() {
        plan = DrainPlan.of(config.drain().delay(), config.drain().spread(), config.shutdown().drainTimeout());
    }

    /** Blocks the draining thread (never an event loop) until {@code deadline} ({@link System#nanoTime()}). */
    private static void waitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shutdown thread polls the registry while the closes complete. */
    private static void pause() {
        waitUntil(System.nanoTime() + 10_000_000L);
    }

    /** @return how long the drain took */
    public Duration drain() {
        if (!draining.start()) {
            return Duration.ZERO;
        }
        long start = System.nanoTime();
        if (plan == null) {
            prepare();
        }
        waitUntil(start + plan.delay().toNanos());
        int open = closeSpread(start);
        long deadline = start + plan.timeout().toNanos();
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
        long cutDeadline = System.nanoTime() + DrainPlan.CUT_ALLOWANCE.toNanos();
        while (registry.connectionCount() > 0 && System.nanoTime() < cutDeadline) {
            pause();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Closes the open connections in the plan's batches, in random order, each with its own hint; then any that
     * registered meanwhile (an upgrade admitted just before the drain began).
     *
     * @return how many connections were closed
     */
    private int closeSpread(long start) {
        List<ClientSession> sessions = new ArrayList<>();
        for (ClientSession session : registry.all()) {
            if (session.isOpen()) {
                sessions.add(session);
            }
        }
        RandomGenerator random = ThreadLocalRandom.current();
        Collections.shuffle(sessions, ThreadLocalRandom.current());
        int batches = plan.batches(sessions.size());
        int next = 0;
        for (int batch = 0; batch < batches && registry.connectionCount() > 0; batch++) {
            waitUntil(start + plan.batchAtNanos(batch, batches));
            int size = DrainPlan.batchSize(sessions.size() - next, batch, batches);
            for (int i = 0; i < size; i++) {
                sessions.get(next++).close(CloseCodes.goingAway(plan.retryAfterMillis(random)));
            }
        }
        int closed = next;
        for (ClientSession session : registry.all()) {
            if (session.isOpen()) {
                session.close(CloseCodes.goingAway(plan.retryAfterMillis(random)));
                closed++;
            }
        }
        if (closed > 0) {
            LOG.infof("Sent 1001 to %d connections in %d ms after a delay of %d ms", closed,
                    (System.nanoTime() - start) / 1_000_000 - plan.delay().toMillis(), plan.delay().toMillis());
        }
        return closed;
    }
}
