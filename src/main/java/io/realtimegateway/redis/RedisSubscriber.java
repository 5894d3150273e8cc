package io.realtimegateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * The instance's pub/sub: one classic connection, subscribed to the channels it is asked for, resubscribed to all of
 * them (in batches of {@value #BATCH} channels per command) whenever the connection is re-established, and watched for
 * silence; and, for the channels a caller marks shardable, sharded pub/sub ({@code SSUBSCRIBE}) where the server has
 * it (Redis 7.0 or newer, learned from {@code INFO server} at connect) and the caller allows it: then those channels
 * are subscribed on one connection per master that owns their slots ({@link ShardedChannels}, which follows the
 * cluster's topology). Which pub/sub is used is logged when the classic connection first connects.
 * <p>
 * Liveness: a pub/sub connection can look open and deliver nothing (after a failover). When it has received nothing
 * for the probe interval, the subscriber publishes a probe on its own channel through the given command link; a probe
 * that does not come back within the command timeout counts as a miss: the connection is dropped and re-established
 * (resubscribing everything), and {@link #problem()} reports it until a probe comes back.
 * <p>
 * Delivery: every message Redis pushes on a subscribed channel is handed to the listener, in the order Redis pushed
 * it, on this connection's event loop. At most once: what Redis publishes while the connection is down or silent is
 * not seen here (recovery with {@code since} restores it for clients). Threading: never blocks; {@link #subscribe}
 * and {@link #unsubscribe} may be called from any thread.
 */
public final class RedisSubscriber extends ReconnectingConnection {

    private static final Logger LOG = Logger.getLogger(RedisSubscriber.class);
    /** Channels per SUBSCRIBE when resubscribing, so a reconnect never sends one huge command. */
    static final int BATCH = 500;

    /** Every channel wanted, with whether it may go over sharded pub/sub. */
    private final Map<String, Boolean> wanted = new ConcurrentHashMap<>();
    private final boolean shardedAllowed;
    private final ShardedChannels shards;
    /** The server the classic connection reached; {@code null} before the first connection. */
    private volatile RedisServer server;
    /**
     * Subscriptions sent and not yet confirmed, by channel. The client library completes a {@code SUBSCRIBE} when it
     * is written; Redis confirms each channel with a {@code subscribe} push, and only from then on are the channel's
     * messages delivered here.
     */
    private final Map<String, CompletableFuture<Void>> confirming = new ConcurrentHashMap<>();
    private final BiConsumer<String, Buffer> listener;
    private final RedisLink prober;
    private final String probeChannel;
    private final String probePayload;
    private final long probeIntervalNanos;
    private final long probeTimeoutNanos;
    private final Runnable onProbeMissed;
    private final Runnable onReady;
    /** {@link System#nanoTime()} of the last push on the connection. */
    private volatile long lastHeard = System.nanoTime();
    /** When the unanswered probe was sent; 0 when none is out. */
    private volatile long probeSent;
    /** Why the connection is not trusted: a probe was missed and none has come back since; else {@code null}. */
    private volatile String silent;
    private long livenessTimer = -1;

    /**
     * @param prober the command link the probe is published through
     * @param probeChannel a channel only this instance subscribes to
     * @param listener told of every message: channel, payload (its bytes as Redis has them)
     * @param onProbeMissed told of every probe that did not come back in time (a counter)
     * @param onReady told whenever a connection was (re-)established and its channels resubscribed: messages
     *        published meanwhile were not seen here
     */
    public RedisSubscriber(Redis redis, Vertx vertx, RedisLink prober, String probeChannel, String probePayload,
            Duration probeInterval, Duration commandTimeout, BiConsumer<String, Buffer> listener,
            Runnable onProbeMissed, Runnable onReady) {
        this(redis, vertx, null, false, prober, probeChannel, probePayload, probeInterval, commandTimeout, listener,
                onProbeMissed, onReady);
    }

    /**
     * A subscriber that may use sharded pub/sub for shardable channels.
     *
     * @param nodeClients the client of one cluster node by endpoint, for the sharded connections on a cluster
     * @param shardedAllowed whether shardable channels use sharded pub/sub where the server has it
     *        ({@code gateway.redis.pub-sub}); {@code onReady} is then also told when a sharded connection was
     *        re-established or a channel moved to another master
     */
    public RedisSubscriber(Redis redis, Vertx vertx, Function<String, Redis> nodeClients, boolean shardedAllowed,
            RedisLink prober, String probeChannel, String probePayload, Duration probeInterval,
            Duration commandTimeout, BiConsumer<String, Buffer> listener, Runnable onProbeMissed, Runnable onReady) {
        super(redis, vertx, "subscriber");
        this.shardedAllowed = shardedAllowed;
        this.shards = new ShardedChannels(vertx, redis, nodeClients, prober, probeInterval, commandTimeout, listener,
                onReady);
        this.prober = prober;
        this.probeChannel = probeChannel;
        this.probePayload = probePayload;
        this.probeIntervalNanos = Math.max(1, probeInterval.toNanos());
        this.probeTimeoutNanos = Math.max(1, commandTimeout.toNanos());
        this.listener = listener;
        this.onProbeMissed = onProbeMissed;
        this.onReady = onReady;
    }

    @Override
    public void start() {
        super.start();
        long tick = Math.max(100, Math.min(TimeUnit.NANOSECONDS.toMillis(probeIntervalNanos),
                TimeUnit.NANOSECONDS.toMillis(probeTimeoutNanos)) / 2);
        livenessTimer = vertx.setPeriodic(tick, ignored -> checkLiveness());
    }

    @Override
    public void close() {
        if (livenessTimer >= 0) {
            vertx.cancelTimer(livenessTimer);
        }
        shards.close();
        super.close();
    }

    /** A classic subscription: {@link #subscribe(String, boolean)} of a channel that is not shardable. */
    public CompletionStage<Void> subscribe(String channel) {
        return subscribe(channel, false);
    }

    /**
     * Subscribes to {@code channel} (and keeps it through reconnects until {@link #unsubscribe}), over sharded
     * pub/sub when {@code shardable} and {@link #sharded()}.
     *
     * @return completes once Redis confirmed the subscription (its {@code subscribe} push arrived, so every message
     *         published from then on comes here), when the command failed or the connection was lost meanwhile, or at
     *         once while there is no connection (the channel is then subscribed when the connection is back)
     */
    public CompletionStage<Void> subscribe(String channel, boolean shardable) {
        wanted.put(channel, shardable);
        if (shardable && sharded()) {
            return shards.subscribe(channel);
        }
        RedisConnection connection = current();
        if (connection == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = confirmation(channel);
        connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).onFailure(failure -> {
            LOG.debugf("SUBSCRIBE %s failed: %s", channel, failure.toString());
            confirmed(channel);
        });
        return done;
    }

    private CompletableFuture<Void> confirmation(String channel) {
        return confirming.computeIfAbsent(channel, c -> new CompletableFuture<>());
    }

    private void confirmed(String channel) {
        CompletableFuture<Void> done = confirming.remove(channel);
        if (done != null) {
            done.complete(null);
        }
    }

    /**
     * Whether shardable channels go over sharded pub/sub: allowed, and the server (as of the classic connection's
     * last connect) has it. Publishers must use {@code SPUBLISH} for them exactly then.
     */
    public boolean sharded() {
        RedisServer reached = server;
        return shardedAllowed && reached != null && reached.shardedPubSub();
    }

    /** Stops following {@code channel}. */
    public void unsubscribe(String channel) {
        Boolean shardable = wanted.remove(channel);
        if (shardable != null && shardable && sharded()) {
            shards.unsubscribe(channel);
            return;
        }
        RedisConnection connection = current();
        if (connection != null) {
            connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel)).onFailure(
                    failure -> LOG.debugf("UNSUBSCRIBE %s failed: %s", channel, failure.toString()));
        }
    }

    /** Why messages may not be arriving, or {@code null} when the connection is up and answered its last probe. */
    public String problem() {
        String down = downReason();
        if (down != null) {
            return down;
        }
        return silent != null ? silent : shards.problem();
    }

    /** How many masters hold a sharded subscriber connection of this instance. */
    public int shardConnections() {
        return shards.connections();
    }

    @Override
    protected Future<?> prepare(RedisConnection opened) {
        // Whatever waited for a confirmation on the previous connection waits no longer (see subscribe's contract).
        List.copyOf(confirming.keySet()).forEach(this::confirmed);
        return opened.send(Request.cmd(Command.INFO).arg("server")).compose(info -> {
            boolean first = server == null;
            server = RedisServer.parse(info.toString());
            if (first) {
                announceMode();
            }
            if (sharded()) {
                shards.start(server.cluster());
            }
            opened.handler(this::onPush);
            lastHeard = System.nanoTime();
            return send(opened, List.of(probeChannel));
        });
    }

    private void announceMode() {
        String where = "Redis " + server.version() + (server.cluster() ? " cluster" : "");
        if (sharded()) {
            LOG.infof("Redis pub/sub: sharded (SSUBSCRIBE/SPUBLISH) for rooms, presence and user streams on %s; "
                    + "classic for broadcasts to everyone", where);
        } else {
            LOG.infof("Redis pub/sub: classic (SUBSCRIBE/PUBLISH) on %s (%s)", where,
                    shardedAllowed ? "sharded pub/sub needs Redis 7.0 or newer" : "gateway.redis.pub-sub=classic");
        }
    }

    @Override
    protected void ready(RedisConnection ready) {
        // Everything wanted now, including what was asked for while the connection was being prepared; the listener
        // hears of it once Redis confirmed every channel.
        boolean sharded = sharded();
        List<String> channels = new ArrayList<>();
        wanted.forEach((channel, shardable) -> {
            if (shardable && sharded) {
                shards.subscribe(channel); // asked for before the server was known
            } else {
                channels.add(channel);
            }
        });
        CompletableFuture<?>[] confirmations = channels.stream().map(this::confirmation)
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(confirmations).thenRun(onReady);
        send(ready, channels).onFailure(failure -> lost(ready, failure.getMessage()));
        LOG.infof("Redis subscriber connected; %d channels", channels.size());
    }

    /** SUBSCRIBE in batches; completes when every batch was confirmed. */
    private static Future<?> send(RedisConnection connection, List<String> channels) {
        List<Future<Response>> batches = new ArrayList<>();
        for (int from = 0; from < channels.size(); from += BATCH) {
            Request subscribe = Request.cmd(Command.SUBSCRIBE);
            channels.subList(from, Math.min(channels.size(), from + BATCH)).forEach(subscribe::arg);
            batches.add(connection.send(subscribe));
        }
        return Future.all(batches);
    }

    /** Sends a probe after a silence, and treats a probe that did not come back in time as a dead connection. */
    private void checkLiveness() {
        RedisConnection connection = current();
        if (connection == null) {
            return;
        }
        long now = System.nanoTime();
        long sent = probeSent;
        if (sent != 0) {
            if (now - sent > probeTimeoutNanos) {
                probeSent = 0;
                silent = "subscriber connection delivers nothing: no probe back within "
                        + TimeUnit.NANOSECONDS.toMillis(probeTimeoutNanos) + " ms";
                onProbeMissed.run();
                lost(connection, silent);
            }
            return;
        }
        if (now - lastHeard >= probeIntervalNanos || silent != null) {
            probeSent = now;
            prober.send(Request.cmd(Command.PUBLISH).arg(probeChannel).arg(probePayload)).subscribe().with(ok -> {
            }, failure -> probeSent = 0);
        }
    }

    private void onPush(Response push) {
        lastHeard = System.nanoTime();
        if (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) {
            return;
        }
        if (push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        if ("subscribe".equals(kind)) {
            confirmed(push.get(1).toString());
            return;
        }
        if (!"message".equals(kind)) {
            return;
        }
        String channel = push.get(1).toString();
        if (channel.equals(probeChannel)) {
            probeSent = 0;
            silent = null;
            return;
        }
        listener.accept(channel, push.get(2).toBuffer());
    }
}
