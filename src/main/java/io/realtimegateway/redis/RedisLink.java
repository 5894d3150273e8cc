package io.realtimegateway.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One long-lived, pipelined Redis connection for commands (not pub/sub), re-established with exponential backoff
 * (100 ms doubling to 5 s) whenever it is lost. Commands sent through it are executed by Redis in the order they were
 * sent and their replies arrive in that order, which a pool of connections would not guarantee; and a burst of
 * commands never waits for a free pooled connection.
 * <p>
 * When the connection is down, {@link #send} fails at once (nothing is queued), so callers can degrade immediately.
 * Every command has a deadline ({@code gateway.redis.command-timeout}): one that misses it fails with a
 * {@link TimeoutException}, and the link reports a {@link #problem()} (readiness DOWN) until a command is answered
 * again; while it has that problem, each readiness check sends a {@code PING} (one at a time), so the problem clears
 * when Redis answers even if nothing else is sent. A Redis that hangs (stopped, or a network that drops packets)
 * therefore costs callers at most the deadline.
 * When Redis answers slower than commands arrive, at most {@value #MAX_IN_FLIGHT} are on the wire and at most
 * {@value #MAX_WAITING} wait in order behind them; beyond that a command fails at once ({@link InOrder}).
 * Threading: never blocks; replies complete on a Vert.x event loop.
 */
public final class RedisLink {

    private static final Logger LOG = Logger.getLogger(RedisLink.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;
    /** Commands on the wire unanswered at most; below the client library's default limit of 2,048. */
    static final int MAX_IN_FLIGHT = 1024;
    /** Commands waiting for the window at most; one more fails at once. */
    static final int MAX_WAITING = 16_384;

    private final Redis redis;
    private final Vertx vertx;
    private final String name;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile RedisConnection connection;
    private volatile String lastFailure = "not connected yet";
    private volatile boolean closed;
    private final Duration commandTimeout;
    /** Why the last command missed its deadline, or {@code null} when the last one was answered in time. */
    private volatile String stalled;
    private final AtomicBoolean probing = new AtomicBoolean();
    private long backoffMs = MIN_BACKOFF_MS;

    private final List<RedisScript> scripts;
    private final Context context;
    private final InOrder replies;

    /**
     * @param name what the link is for, in logs and in {@link #problem()}
     * @param scripts loaded ({@code SCRIPT LOAD}) on every new connection before it carries any command, so that
     *        {@code EVALSHA} finds them and commands keep their order
     */
    public RedisLink(Redis redis, Vertx vertx, String name, List<RedisScript> scripts, Duration commandTimeout) {
        this.redis = redis;
        this.commandTimeout = commandTimeout;
        this.vertx = vertx;
        this.name = name;
        this.scripts = List.copyOf(scripts);
        // One event-loop context of its own: the connection is opened and every command is written on it.
        this.context = vertx.getOrCreateContext();
        this.replies = new InOrder(context, MAX_IN_FLIGHT, MAX_WAITING);
    }

    /** Connects in the background; call once. */
    public void start() {
        connect();
    }

    /**
     * Sends a command when the returned {@code Uni} is subscribed; fails at once when the connection is down. Replies
     * complete in the order the commands were sent (the client library may signal them out of order across threads;
     * {@link InOrder} restores it).
     */
    public Uni<Response> send(Request request) {
        RedisConnection current = connection;
        if (current == null) {
            return Uni.createFrom().failure(new IllegalStateException("Redis " + name + " connection down: "
                    + lastFailure));
        }
        return Uni.createFrom().completionStage(() -> replies.send(current, request))
                .ifNoItem().after(commandTimeout).failWith(() -> new TimeoutException(missed()))
                .onItem().invoke(ignored -> stalled = null)
                .onFailure().invoke(failure -> lastFailure = failure.getMessage());
    }

    /** Why the link is down or not answering, or {@code null} when it is up. */
    public String problem() {
        if (connection == null) {
            return name + " connection down: " + lastFailure;
        }
        String why = stalled;
        if (why != null && probing.compareAndSet(false, true)) {
            send(Request.cmd(Command.PING)).subscribe().with(ok -> probing.set(false), failure -> probing.set(false));
        }
        return why;
    }

    private String missed() {
        String why = name + " connection: no reply within " + commandTimeout.toMillis() + " ms";
        stalled = why;
        return why;
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

    private void connect() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return;
        }
        context.runOnContext(onContext -> redis.connect().onComplete(result -> {
            connecting.set(false);
            if (result.failed()) {
                lastFailure = result.cause().getMessage();
                retry();
                return;
            }
            RedisConnection opened = result.result();
            opened.exceptionHandler(failure -> lost(opened, failure.getMessage()));
            opened.endHandler(ignored -> lost(opened, "connection closed"));
            List<Future<Response>> loads = scripts.stream()
                    .map(script -> opened.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source())))
                    .toList();
            Future.all(loads).onComplete(loaded -> {
                if (loaded.failed()) {
                    lastFailure = "SCRIPT LOAD failed: " + loaded.cause().getMessage();
                    opened.close();
                    retry();
                    return;
                }
                connection = opened;
                backoffMs = MIN_BACKOFF_MS;
                LOG.debugf("Redis %s connection open", name);
            });
        }));
    }

    private void lost(RedisConnection lost, String reason) {
        if (connection == lost) {
            connection = null;
            lastFailure = reason;
            LOG.warnf("Redis %s connection lost (%s); reconnecting", name, reason);
            lost.close();
            retry();
        }
    }

    private void retry() {
        if (closed) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        vertx.setTimer(delay, ignored -> connect());
    }
}
