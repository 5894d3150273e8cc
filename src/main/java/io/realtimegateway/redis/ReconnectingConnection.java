package io.realtimegateway.redis;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;

/**
 * One dedicated, long-lived Redis connection that is re-established whenever it is lost, on the one schedule of
 * {@link Backoff}. The client library's pool does neither: it hands out connections per command and lets a dedicated
 * one die with its socket. {@link RedisLink} (commands) and {@link RedisSubscriber} (pub/sub) are the two kinds.
 * <p>
 * Life of a connection: opened on this holder's own event-loop context; {@link #prepare} runs on it (load scripts,
 * subscribe) and only when that succeeds is it {@link #current()}; a failure of either, an exception or the peer
 * closing it drops it, and the next attempt follows the backoff. After {@link #close()} nothing reconnects.
 * Threading: never blocks; {@link #current()} and {@link #problem()} may be read from any thread.
 */
abstract class ReconnectingConnection {

    private static final Logger LOG = Logger.getLogger(ReconnectingConnection.class);

    protected final Redis redis;
    protected final Vertx vertx;
    protected final String name;
    /** The event-loop context every connection of this holder is opened and prepared on. */
    protected final Context context;
    private final Backoff backoff = new Backoff();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile RedisConnection connection;
    private volatile String lastFailure = "not connected yet";
    private volatile boolean closed;

    ReconnectingConnection(Redis redis, Vertx vertx, String name) {
        this.redis = redis;
        this.vertx = vertx;
        this.name = name;
        this.context = vertx.getOrCreateContext();
    }

    /** Connects in the background; call once. The instance starts whether or not Redis answers. */
    public void start() {
        connect();
    }

    /** Closes the connection and stops reconnecting. */
    public void close() {
        closed = true;
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    /**
     * Readies a new connection before it becomes {@link #current()}; a failed future drops it and retries later.
     * Runs on {@link #context}.
     */
    protected abstract Future<?> prepare(RedisConnection opened);

    /** Called on {@link #context} once a prepared connection is {@link #current()}. */
    protected void ready(RedisConnection ready) {
    }

    /** Called on an event loop whenever a connection was lost or an attempt to open one failed. */
    protected void dropped(String reason) {
    }

    /** The ready connection, or {@code null} while there is none. */
    protected final RedisConnection current() {
        return connection;
    }

    protected final boolean isClosed() {
        return closed;
    }

    /** Why there is no ready connection ({@code "<name> connection down: <cause>"}), or {@code null} when there is. */
    protected final String downReason() {
        return connection == null ? name + " connection down: " + lastFailure : null;
    }

    /** Records the latest failure, for {@link #downReason()}. */
    protected final void failed(String reason) {
        lastFailure = reason;
    }

    /** Drops {@code lost} (if it is still the current one) and reconnects after the backoff. */
    protected final void lost(RedisConnection lost, String reason) {
        if (connection == lost) {
            connection = null;
            lastFailure = reason;
            LOG.warnf("Redis %s connection lost (%s); reconnecting", name, reason);
            lost.close();
            dropped(reason);
            retry();
        }
    }

    private void connect() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return;
        }
        context.runOnContext(onContext -> redis.connect().onComplete(result -> {
            connecting.set(false);
            if (result.failed()) {
                lastFailure = result.cause().getMessage();
                dropped(lastFailure);
                retry();
                return;
            }
            RedisConnection opened = result.result();
            opened.exceptionHandler(failure -> lost(opened, failure.getMessage()));
            opened.endHandler(ignored -> lost(opened, "connection closed"));
            prepare(opened).onComplete(prepared -> {
                if (prepared.failed()) {
                    lastFailure = prepared.cause().getMessage();
                    opened.close();
                    retry();
                    return;
                }
                if (closed) {
                    opened.close();
                    return;
                }
                connection = opened;
                backoff.reset();
                LOG.debugf("Redis %s connection ready", name);
                ready(opened);
            });
        }));
    }

    private void retry() {
        if (!closed) {
            vertx.setTimer(backoff.next(), ignored -> connect());
        }
    }
}
