package io.realtimegateway.heartbeat;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;

/**
 * Finds dead connections: TCP does not tell a server when a peer vanishes (a phone in a tunnel), so every
 * {@code gateway.heartbeat.interval} each open connection is pinged, and a connection that sent no pong and no
 * message since the previous round (its own pings do not count) is terminated (the {@code ws} library's isAlive
 * pattern) and so leaves
 * every registry index. A live client needs no code for this: WebSocket clients answer pings by themselves.
 * <p>
 * Threading: runs on a scheduler thread; pings and terminations are queued to each connection's event loop. A
 * connection that closes meanwhile is skipped; a ping that cannot be sent is dropped without a word: the connection is
 * then closing, and the next round does not see it (or terminates it if it is still there and silent).
 */
@ApplicationScoped
public class HeartbeatJob {

    private static final Logger LOG = Logger.getLogger(HeartbeatJob.class);

    @Inject
    ConnectionRegistry registry;

    @Inject
    GatewayMetrics metrics;

    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong started = new AtomicLong();

    @Scheduled(every = "${gateway.heartbeat.interval:30s}", delayed = "${gateway.heartbeat.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void round() {
        started.incrementAndGet();
        for (ClientSession session : registry.all()) {
            if (!session.isOpen()) {
                continue;
            }
            if (!session.checkAndClearAlive()) {
                LOG.debugf("terminating %s: nothing received since the previous heartbeat", session);
                metrics.heartbeatTerminated();
                session.terminate();
            } else {
                session.ping();
            }
        }
        rounds.incrementAndGet();
    }

    /** Heartbeat rounds completed since start, for tests and diagnostics. */
    public long rounds() {
        return rounds.get();
    }

    /**
     * Heartbeat rounds begun since start (one may be under way), for tests: a round begun after a peer's last message
     * has seen that message.
     */
    public long roundsStarted() {
        return started.get();
    }
}
