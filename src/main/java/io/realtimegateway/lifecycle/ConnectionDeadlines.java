package io.realtimegateway.lifecycle;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.CloseCodes;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.transport.DeadlineWheel;
import io.realtimegateway.transport.DeadlineWheel.Deadline;

/**
 * The two moments at which the server ends a connection by itself, each with a code that tells the client what to do:
 * <ul>
 * <li>the token's expiry ({@code exp}): close {@code 4001} "token expired" at that instant, so the client fetches a new
 * token and reconnects (not at the next heartbeat). {@code gateway.token.refresh-ahead} before it (at once, when the
 * connection opens later than that; halfway to it, for a refreshed token that lives shorter than that), the client
 * is sent {@code token_expiring}; a {@code refresh} it answers with moves both to the new token's expiry
 * ({@link #tokenRefreshed});</li>
 * <li>{@code gateway.max-connection-age}, when set: close {@code 1012} after that age plus a random jitter of up to
 * {@value #JITTER_PERCENT}%, for platforms whose request timeout would otherwise cut WebSockets, and so that clients
 * connected together do not all reconnect together.</li>
 * </ul>
 * Deadlines are entries on the one {@link DeadlineWheel} (within {@value DeadlineWheel#TICK_MILLIS} ms of their
 * moment), one per connection at a time (the token's warning, then its expiry), cancelled when the connection closes.
 * Non-blocking.
 */
@ApplicationScoped
public class ConnectionDeadlines {

    /** The largest jitter added to the maximum connection age, in percent of it. */
    public static final int JITTER_PERCENT = 10;

    @Inject
    DeadlineWheel wheel;

    @Inject
    GatewayConfig config;

    /** The pending token deadline of each open connection that has one, by connection id. */
    private final ConcurrentMap<String, Deadline> tokenDeadlines = new ConcurrentHashMap<>();

    /** Schedules the deadlines of a newly opened connection. */
    public void schedule(ClientSession session) {
        scheduleToken(session, false);
        session.onClose(() -> cancelToken(session));
        config.maxConnectionAge().ifPresent(age -> {
            long base = Math.max(1, age.toMillis());
            long jitter = ThreadLocalRandom.current().nextLong(base * JITTER_PERCENT / 100 + 1);
            session.onClose(wheel.after(base + jitter, () -> session.close(CloseCodes.SERVICE_RESTART))::cancel);
        });
    }

    /** Moves the token's deadlines to the expiry of the session's refreshed identity. */
    public void tokenRefreshed(ClientSession session) {
        cancelToken(session);
        if (session.isOpen()) {
            scheduleToken(session, true);
        }
    }

    /**
     * @param refreshed after a refresh, a token that is already inside the refresh-ahead window is warned about halfway
     *        to its expiry, not at once: a client whose tokens live shorter than the window would otherwise refresh in
     *        a loop
     */
    private void scheduleToken(ClientSession session, boolean refreshed) {
        long expiresAt = session.identity().expiresAtMillis();
        if (expiresAt <= 0) {
            return;
        }
        long delay = expiresAt - System.currentTimeMillis();
        if (delay <= 0) {
            session.close(CloseCodes.TOKEN_EXPIRED);
            return;
        }
        long ahead = config.token().refreshAhead().toMillis();
        long warnIn = Math.max(1, delay > ahead ? delay - ahead : refreshed ? delay / 2 : 0);
        Deadline[] warning = new Deadline[1];
        Runnable warn = () -> {
            session.send(ServerFrames.tokenExpiring(expiresAt / 1000));
            Deadline expiry = wheel.after(expiresAt - System.currentTimeMillis(),
                    () -> session.close(CloseCodes.TOKEN_EXPIRED));
            // The expiry follows the warning, unless the token was refreshed or the connection closed meanwhile.
            // (This waits for the compute below to have stored the warning.)
            if (!tokenDeadlines.replace(session.id(), warning[0], expiry)) {
                expiry.cancel();
            }
        };
        tokenDeadlines.compute(session.id(), (id, previous) -> warning[0] = wheel.after(warnIn, warn));
    }

    private void cancelToken(ClientSession session) {
        Deadline pending = tokenDeadlines.remove(session.id());
        if (pending != null) {
            pending.cancel();
        }
    }
}
