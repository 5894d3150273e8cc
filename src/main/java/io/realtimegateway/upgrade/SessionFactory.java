package io.realtimegateway.upgrade;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.lifecycle.ConnectionDeadlines;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.session.ClientLink;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.session.InboundLimiter;
import io.realtimegateway.session.OutboundPolicy;
import io.realtimegateway.transport.HandshakeLeftovers;

/**
 * Opens and closes {@link ClientSession}s for every endpoint: reads the identity the upgrade check attached, registers
 * the session, and takes it out of every index when the connection ends for any reason.
 */
@ApplicationScoped
public class SessionFactory implements OutboundPolicy {

    private static final Logger LOG = Logger.getLogger(SessionFactory.class);

    @Inject
    ConnectionRegistry registry;

    @Inject
    GatewayMetrics metrics;

    @Inject
    InboundLimiter limiter;

    @Inject
    ConnectionDeadlines deadlines;

    /** Creates the session of a new connection and registers it, so that it receives its topics' messages. */
    public ClientSession open(ClientLink link, Endpoint endpoint) {
        return register(create(link, endpoint));
    }

    /** Creates the session of a new connection without registering it yet (for a recovery that must start first). */
    public ClientSession create(ClientLink link, Endpoint endpoint) {
        ClientSession session = new ClientSession(link, endpoint, UpgradeIdentity.of(link), this);
        session.onPing(() -> limiter.ping(session));
        return session;
    }

    public ClientSession register(ClientSession session) {
        registry.add(session);
        deadlines.schedule(session);
        metrics.connectionOpened(session.endpoint());
        LOG.debugf("opened %s", session);
        return session;
    }

    /**
     * Lets go of what the framework keeps of the connection's upgrade request ({@link HandshakeLeftovers}): call at the
     * end of {@code @OnOpen}, once nothing reads the handshake any more.
     */
    public void opened(WebSocketConnection connection) {
        HandshakeLeftovers.release(connection);
    }

    /** @return the session of an open connection, or {@code null} once it has been closed */
    public ClientSession find(WebSocketConnection connection) {
        return registry.get(connection.id());
    }

    /**
     * Notes that the peer of a connection sent something (a message or a pong): it is alive.
     *
     * @return the session of the connection, or {@code null} once it has been closed
     */
    public ClientSession alive(WebSocketConnection connection) {
        ClientSession session = registry.get(connection.id());
        if (session != null) {
            session.markAlive();
        }
        return session;
    }

    public void close(WebSocketConnection connection) {
        close(connection.id());
    }

    /** Takes the session of a connection that ended (for any reason) out of every index; a second call does nothing. */
    public void close(String connectionId) {
        ClientSession session = registry.get(connectionId);
        if (session != null) {
            registry.remove(session);
            session.closed();
            metrics.connectionClosed(session.endpoint(), session.closeCode());
            LOG.debugf("closed %s", session);
        }
    }

    @Override
    public void onSent(int bytes) {
        metrics.frameSent(bytes);
    }

    @Override
    public void onExceeded(ClientSession session) {
        metrics.slowConsumerClosed();
        LOG.debugf("closing %s: %d bytes already queued", session, session.queuedBytes());
    }
}
