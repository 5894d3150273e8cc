package io.realtimegateway.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.quarkus.websockets.next.CloseReason;
import io.realtimegateway.message.CloseCodes;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.message.Identity;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.ratelimit.TokenBucket;
import io.realtimegateway.transport.FrameWriter;

/**
 * The gateway's state for one open connection, a WebSocket or an event stream of the HTTP fallback (its
 * {@link ClientLink}): who it is, which rooms it is in, and what it owes it.
 * <p>
 * Flow control: whether the peer reads is judged by its {@link FrameWriter} from what the socket refuses (not from what
 * was sent); a peer that does not read is closed with 1013. Long runs of frames (a replay) go through
 * {@link #sendPaced}, as fast as the peer takes them.
 * <p>
 * Threading: {@link #send} and {@link #close} may be called from any thread; writes, and a close after them, are
 * queued onto the connection's own event loop in call order ({@link FrameWriter}), so frames arrive in the order sent,
 * from one thread or from several whose calls are ordered among themselves (a room's Redis replies are completed on
 * whichever thread drains them), before a close requested after them. Membership is changed only by the
 * {@link ConnectionRegistry}.
 */
public final class ClientSession {

    private static final VarHandle CLOSING;
    private static final VarHandle ALIVE;
    private static final VarHandle SLOW;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSING = lookup.findVarHandle(ClientSession.class, "closing", boolean.class);
            ALIVE = lookup.findVarHandle(ClientSession.class, "alive", boolean.class);
            SLOW = lookup.findVarHandle(ClientSession.class, "slow", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ClientLink link;
    private final Endpoint endpoint;
    private volatile Identity identity;
    /** Made at the first join: most connections of a large fan-out are in one room, many idle ones in none. */
    private volatile Set<String> rooms;
    // Three flags as plain fields with VarHandles, not AtomicBooleans: 48 bytes less per connection.
    private volatile boolean closing;
    private volatile boolean alive = true;
    private volatile boolean slow;
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private TokenBucket inbound;
    private int inboundViolations;
    private final OutboundPolicy policy;
    private final RecoveryCursors cursors = new RecoveryCursors();

    private final FrameWriter writer;

    public ClientSession(ClientLink link, Endpoint endpoint, Identity identity, OutboundPolicy policy) {
        this.link = link;
        this.writer = link.writer();
        this.endpoint = endpoint;
        this.identity = identity;
        this.policy = policy;
        writer.onSlow(this::closeSlow);
    }

    public String id() {
        return link.id();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Who is behind the connection: from the upgrade's token, or from the last accepted refresh. */
    public Identity identity() {
        return identity;
    }

    /**
     * Replaces the identity with that of a refreshed token of the same user (roles, room grants and expiry come from
     * it). Any thread.
     *
     * @throws IllegalArgumentException for another user: a connection never changes hands
     */
    public void refreshIdentity(Identity refreshed) {
        if (!refreshed.user().equals(identity.user())) {
            throw new IllegalArgumentException("a refreshed token must be of the same user");
        }
        this.identity = refreshed;
    }

    public String user() {
        return identity.user();
    }

    /** The rooms this connection is in; a read-only view, live once it joined one. */
    public Set<String> rooms() {
        return Collections.unmodifiableSet(joinedRooms());
    }

    /** The rooms this connection is in, to take it out of them; empty (and {@code remove} false) before a join. */
    Set<String> joinedRooms() {
        Set<String> joined = rooms;
        return joined == null ? Collections.emptySet() : joined;
    }

    /** The rooms this connection is in, to add one. */
    Set<String> mutableRooms() {
        Set<String> joined = rooms;
        if (joined == null) {
            synchronized (this) {
                joined = rooms;
                if (joined == null) {
                    rooms = joined = ConcurrentHashMap.newKeySet(4);
                }
            }
        }
        return joined;
    }

    /** The recovery state of the topics this connection recovers from history. */
    public RecoveryCursors cursors() {
        return cursors;
    }

    /**
     * Sends a live message of one of this connection's topics, unless its recovery holds it back or already sent it
     * (see {@link RecoveryCursors}). Never blocks.
     */
    public void deliver(Delivery delivery) {
        if (!cursors.offer(delivery, d -> send(d.frame()))) {
            closeSlow();
        }
    }

    /** Reports a slow peer and closes it with 1013, once, and only while the connection is open. */
    private void closeSlow() {
        if (isOpen() && SLOW.compareAndSet(this, false, true)) {
            policy.onExceeded(this);
            close(CloseCodes.SLOW_CONSUMER);
        }
    }

    /** Bytes written for this connection and not yet taken by its socket. */
    public long queuedBytes() {
        return writer.pendingBytes();
    }

    public boolean isOpen() {
        return !closing && writer.isOpen();
    }

    /** Queues one frame for this connection, unless it is closed or closing. Never blocks. */
    public void send(OutboundFrame frame) {
        if (!isOpen()) {
            return;
        }
        policy.onSent(frame.bytes());
        writer.write(frame);
    }

    /**
     * Sends {@code frames} in order, each only once the socket takes more bytes, then runs {@code then}; both on the
     * connection's event loop. Frames {@link #send sent} meanwhile from other threads are not held back. A peer that
     * stops reading mid-way is closed as any other slow peer, and {@code then} still runs. Never blocks.
     */
    public void sendPaced(Iterator<OutboundFrame> frames, Runnable then) {
        writer.whenWritable(() -> {
            while (frames.hasNext() && isOpen()) {
                send(frames.next());
                if (!writer.isWritable() && frames.hasNext()) {
                    sendPaced(frames, then); // resumes when the socket has drained
                    return;
                }
            }
            then.run();
        });
    }

    /**
     * Closes the connection once with the given reason, after the frames already sent; later calls, and frames sent
     * after this, do nothing. Never blocks.
     */
    public void close(CloseReason reason) {
        if (CLOSING.compareAndSet(this, false, true) && link.isOpen()) {
            writer.closeAfterWrites(() -> link.close(reason));
        }
    }

    /**
     * Takes one token from this connection's inbound bucket (created on first use with the given rate and burst).
     * Called on the connection's event loop only.
     *
     * @return {@code true} when the frame is within the rate
     */
    public boolean inbound(double ratePerSecond, int burst, long nowNanos) {
        if (inbound == null) {
            inbound = new TokenBucket(ratePerSecond, burst, nowNanos);
        }
        if (inbound.tryTake(nowNanos)) {
            inboundViolations = 0;
            return true;
        }
        inboundViolations++;
        return false;
    }

    /**
     * Runs {@code action} on the connection's event loop for every ping frame the peer sends (the pong is sent
     * regardless, as RFC 6455 asks).
     */
    public void onPing(Runnable action) {
        writer.onPing(action);
    }

    /** Frames refused in a row for exceeding the inbound rate. */
    public int inboundViolations() {
        return inboundViolations;
    }

    /**
     * The code of the close that ended this connection: the one the transport sent for a frame error, else the
     * close reason of the link (the WebSocket's, or the final event of an event stream), else 1006 (the connection
     * ended without either).
     */
    public int closeCode() {
        int sent = writer.closeCodeSent();
        if (sent != 0) {
            return sent;
        }
        CloseReason reason = link.closeReason();
        return reason == null ? 1006 : reason.getCode();
    }

    /** Registers a clean-up (a timer to cancel) that {@link #closed()} runs. */
    public void onClose(Runnable cleanup) {
        onClose.add(cleanup);
    }

    /** Runs the clean-ups of a connection that has ended. Called once, when the connection left the registry. */
    public void closed() {
        closing = true;
        for (Runnable cleanup : onClose) {
            cleanup.run();
        }
        onClose.clear();
    }

    /** Notes that the peer sent something (a message or a pong): it is alive. */
    public void markAlive() {
        ALIVE.setRelease(this, true);
    }

    /** @return whether the peer sent anything since the previous call; the heartbeat's isAlive flag */
    public boolean checkAndClearAlive() {
        return (boolean) ALIVE.getAndSet(this, false);
    }

    /**
     * Sends the heartbeat if the connection is open: a ping frame (the pong marks the peer alive), or on an event
     * stream a comment line, which marks it alive once its socket took it. A failure (it closed meanwhile) is ignored.
     * Never blocks.
     */
    public void ping() {
        if (isOpen()) {
            link.ping(this::markAlive);
        }
    }

    /** Cuts the connection at once, without a close handshake (the client sees 1006). Never blocks. */
    public void terminate() {
        closing = true;
        link.terminate();
    }

    @Override
    public String toString() {
        return endpoint.tag() + " connection " + id() + " of " + identity.user();
    }
}
