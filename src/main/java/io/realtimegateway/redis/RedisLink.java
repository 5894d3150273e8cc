package io.realtimegateway.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One long-lived, pipelined Redis connection for commands (not pub/sub), re-established after a loss on the schedule
 * of {@link ReconnectingConnection}. Commands sent through it are executed by Redis in the order they were sent and
 * their replies arrive in that order, which a pool of connections would not guarantee; and a burst of commands never
 * waits for a free pooled connection. The scripts it was given are loaded ({@code SCRIPT LOAD}) on every new
 * connection before it carries any command.
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
public final class RedisLink extends ReconnectingConnection {

    /** Commands on the wire unanswered at most; below the client library's default limit of 2,048. */
    static final int MAX_IN_FLIGHT = 1024;
    /** Commands waiting for the window at most; one more fails at once. */
    static final int MAX_WAITING = 16_384;

    private final Duration commandTimeout;
    /** Why the last command missed its deadline, or {@code null} when the last one was answered in time. */
    private volatile String stalled;
    private final AtomicBoolean probing = new AtomicBoolean();
    private final List<RedisScript> scripts;
    private final InOrder replies;
    /** The server of the current (or last) connection; {@code null} before the first. */
    private volatile RedisServer server;

    /**
     * @param name what the link is for, in logs and in {@link #problem()}
     * @param scripts loaded on every new connection before it carries any command, so that {@code EVALSHA} finds
     *        them and commands keep their order
     */
    public RedisLink(Redis redis, Vertx vertx, String name, List<RedisScript> scripts, Duration commandTimeout) {
        super(redis, vertx, name);
        this.commandTimeout = commandTimeout;
        this.scripts = List.copyOf(scripts);
        this.replies = new InOrder(context, MAX_IN_FLIGHT, MAX_WAITING);
    }

    /**
     * Sends a command when the returned {@code Uni} is subscribed; fails at once when the connection is down. Replies
     * complete in the order the commands were sent (the client library may signal them out of order across threads;
     * {@link InOrder} restores it).
     */
    public Uni<Response> send(Request request) {
        return send(request, null);
    }

    /**
     * Sends a command as {@link #send(Request)} does, and hands {@code lateReply} the reply that comes after the
     * command already failed for want of it (its deadline passed): a command's outcome is unknown when it times out,
     * and some callers must learn it after all.
     *
     * @param lateReply told a reply that came too late, on the thread completing replies; {@code null} for none
     */
    public Uni<Response> send(Request request, Consumer<Response> lateReply) {
        RedisConnection connection = current();
        if (connection == null) {
            return Uni.createFrom().failure(new IllegalStateException(downReason()));
        }
        AtomicBoolean timedOut = lateReply == null ? null : new AtomicBoolean();
        return Uni.createFrom().completionStage(() -> {
            CompletionStage<Response> reply = replies.send(connection, request);
            if (timedOut == null) {
                return reply;
            }
            reply.thenAccept(response -> {
                if (timedOut.get()) {
                    lateReply.accept(response);
                }
            });
            // A stage of its own for the Uni, which cancels what it was given when it times out: the reply's own
            // future stays uncancelled, so a late reply still reaches the line above.
            return reply.thenApply(response -> response);
        })
                .ifNoItem().after(commandTimeout).failWith(() -> {
                    if (timedOut != null) {
                        timedOut.set(true);
                    }
                    return new TimeoutException(missed());
                })
                .onItem().invoke(ignored -> stalled = null)
                .onFailure().invoke(failure -> failed(failure.getMessage()));
    }

    /** The deadline of every command sent through this link. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Why the link is down or not answering, or {@code null} when it is up. */
    public String problem() {
        String down = downReason();
        if (down != null) {
            return down;
        }
        String why = stalled;
        if (why != null && probing.compareAndSet(false, true)) {
            send(Request.cmd(Command.PING)).subscribe().with(ok -> probing.set(false), failure -> probing.set(false));
        }
        return why;
    }

    /**
     * The server lost a script this link loaded (an operator ran {@code SCRIPT FLUSH}, or a failover reached a node
     * that never had it): drops the connection, so the next one loads every script again before any command. Commands
     * in flight fail, as when Redis is down; none is sent again out of order.
     */
    void scriptMissing() {
        RedisConnection connection = current();
        if (connection != null) {
            lost(connection, "the server does not know a script (NOSCRIPT); reloading");
        }
    }

    /**
     * The Redis this link's connection reached ({@code INFO server}, read at every connect before any command), or
     * {@code null} before the first connection.
     */
    public RedisServer server() {
        return server;
    }

    /**
     * Reads what the server is, then loads the scripts. On a Redis Cluster nothing is loaded: a script runs on the
     * node of its keys' slot, and a replica promoted there, or a node a slot moved to, would not know it, so scripts
     * are sent whole ({@link RedisScript#run}) and no command ever waits behind a reload.
     */
    @Override
    protected Future<?> prepare(RedisConnection opened) {
        return opened.send(Request.cmd(Command.INFO).arg("server")).compose(info -> {
            RedisServer reached = RedisServer.parse(info.toString());
            server = reached;
            if (reached.cluster()) {
                return Future.succeededFuture();
            }
            List<Future<Response>> loads = scripts.stream()
                    .map(script -> opened.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source())))
                    .toList();
            return Future.all(loads)
                    .recover(failure -> Future.failedFuture("SCRIPT LOAD failed: " + failure.getMessage()));
        });
    }

    private String missed() {
        String why = name + " connection: no reply within " + commandTimeout.toMillis() + " ms";
        stalled = why;
        return why;
    }
}
