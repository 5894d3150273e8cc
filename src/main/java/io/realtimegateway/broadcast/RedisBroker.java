package io.realtimegateway.broadcast;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.session.LocalTopicListener;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * The broker of many instances, over Redis pub/sub. A message is delivered to this instance's own connections first,
 * at once and exactly as the memory broker does (so local traffic goes on when Redis is down), then published once to
 * the topic's channel on the instance's one publishing connection ({@link RedisLink}), encoded once
 * ({@link RedisEnvelope}); every other instance with local connections on the topic delivers it to them, and the
 * publishing instance ignores its own copy, so every connection gets it exactly once.
 * <p>
 * Subscriptions follow the local connections ({@link LocalTopicListener}): an instance subscribes to a room's channel
 * while it has a member of that room, to a user's while it has a connection of that user, and to the channel of
 * everyone while it has a chat connection. Publishing and subscribing use one dedicated connection each, re-established
 * with exponential backoff (100 ms doubling to 5 s); the subscriber resubscribes to every topic still needed when Redis
 * comes back.
 * <p>
 * Liveness of the subscriber: a pub/sub connection can look open and deliver nothing (after a failover). When it has
 * received nothing for {@code gateway.redis.probe-interval}, the instance publishes a probe on its own channel
 * ({@link RedisChannels#probe}); one that does not come back within {@code gateway.redis.command-timeout} counts as a
 * miss: the connection is dropped and re-established (resubscribing everything), and readiness is DOWN until a probe
 * comes back.
 * <p>
 * Ordering: one publisher's messages to one topic are published in order on one connection and Redis keeps that order
 * per channel, so every instance delivers them in order. Threading: never blocks; Redis callbacks run on Vert.x event
 * loops.
 */
public final class RedisBroker implements Broker, LocalTopicListener {

    private static final Logger LOG = Logger.getLogger(RedisBroker.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Redis redis;
    private final Vertx vertx;
    private final LocalFanout fanout;
    private final RedisChannels channels;
    private final String instance;
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(2);

    private final Set<Topic> wanted = ConcurrentHashMap.newKeySet();
    private final Map<Topic, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile RedisConnection subscriber;
    private final RedisLink publisher;
    private volatile String lastFailure = "not connected yet";
    private volatile boolean publishHealthy = true;
    private long backoffMs = MIN_BACKOFF_MS;
    private final String probeChannel;
    private final long probeIntervalNanos;
    private final long probeTimeoutNanos;
    private final Runnable onProbeMissed;
    /** {@link System#nanoTime()} of the last push on the subscriber connection. */
    private volatile long lastHeard = System.nanoTime();
    /** When the unanswered probe was sent; 0 when none is out. */
    private volatile long probeSent;
    /** Why the subscriber is not trusted: a probe was missed and none has come back since; else {@code null}. */
    private volatile String silent;

    public RedisBroker(Redis redis, Vertx vertx, LocalFanout fanout, GatewayConfig.RedisSettings settings,
            Runnable onProbeMissed) {
        this.redis = redis;
        this.vertx = vertx;
        this.fanout = fanout;
        this.channels = new RedisChannels(settings.channelPrefix());
        this.instance = Long.toString(new SecureRandom().nextLong() >>> 1, 36);
        this.publisher = new RedisLink(redis, vertx, "publisher", List.of(), settings.commandTimeout());
        this.probeChannel = channels.probe(instance);
        this.probeIntervalNanos = Math.max(1, settings.probeInterval().toNanos());
        this.probeTimeoutNanos = Math.max(1, settings.commandTimeout().toNanos());
        this.onProbeMissed = onProbeMissed;
    }

    /** Opens the subscriber and publisher connections in the background; the instance starts without Redis. */
    public void start() {
        connect();
        publisher.start();
        long tick = Math.max(100, Math.min(TimeUnit.NANOSECONDS.toMillis(probeIntervalNanos),
                TimeUnit.NANOSECONDS.toMillis(probeTimeoutNanos)) / 2);
        vertx.setPeriodic(tick, ignored -> checkLiveness());
    }

    /** Sends a probe after a silence, and treats a probe that did not come back in time as a dead subscriber. */
    private void checkLiveness() {
        RedisConnection connection = subscriber;
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
            publisher.send(Request.cmd(Command.PUBLISH).arg(probeChannel).arg(instance)).subscribe().with(ok -> {
            }, failure -> probeSent = 0);
        }
    }

    @Override
    public Uni<Void> publish(Delivery delivery) {
        fanout.deliver(delivery);
        String payload = RedisEnvelope.encode(instance, delivery);
        Request request = Request.cmd(Command.PUBLISH).arg(channels.of(delivery.topic())).arg(payload);
        return publisher.send(request)
                .invoke(ok -> publishHealthy = true)
                .onFailure().invoke(failure -> {
                    publishHealthy = false;
                    lastFailure = "publish failed: " + failure.getMessage();
                })
                .replaceWithVoid();
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String problem() {
        if (subscriber == null) {
            return "subscriber connection down: " + lastFailure;
        }
        String notTrusted = silent;
        if (notTrusted != null) {
            return notTrusted;
        }
        String publisherProblem = publisher.problem();
        if (publisherProblem != null) {
            return publisherProblem;
        }
        return publishHealthy ? null : lastFailure;
    }

    @Override
    public void firstLocal(Topic topic) {
        wanted.add(topic);
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.put(topic, done);
        RedisConnection connection = subscriber;
        if (connection == null) {
            done.complete(null); // Redis is down: do not hold the join; resubscription follows the reconnect
            return;
        }
        connection.send(Request.cmd(Command.SUBSCRIBE).arg(channels.of(topic))).onComplete(result -> {
            if (result.failed()) {
                LOG.debugf("SUBSCRIBE %s failed: %s", topic, result.cause().toString());
            }
            done.complete(null);
        });
    }

    @Override
    public Uni<Void> subscribed(Topic topic) {
        CompletableFuture<Void> done = pending.get(topic);
        return done == null || done.isDone() ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(done).ifNoItem().after(SUBSCRIBE_WAIT).recoverWithItem((Void) null);
    }

    @Override
    public void lastLocalGone(Topic topic) {
        wanted.remove(topic);
        pending.remove(topic);
        command(Command.UNSUBSCRIBE, topic);
    }

    private void command(Command command, Topic topic) {
        RedisConnection connection = subscriber;
        if (connection != null) {
            connection.send(Request.cmd(command).arg(channels.of(topic))).onFailure(
                    failure -> LOG.debugf("%s %s failed: %s", command, topic, failure.toString()));
        }
    }

    private void connect() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        redis.connect().onComplete(result -> {
            connecting.set(false);
            if (result.failed()) {
                lastFailure = result.cause().getMessage();
                retry();
                return;
            }
            RedisConnection connection = result.result();
            connection.handler(this::onPush);
            connection.exceptionHandler(failure -> lost(connection, failure.getMessage()));
            connection.endHandler(ignored -> lost(connection, "connection closed"));
            subscriber = connection;
            backoffMs = MIN_BACKOFF_MS;
            lastHeard = System.nanoTime();
            List<String> all = wanted.stream().map(channels::of).toList();
            Request subscribe = Request.cmd(Command.SUBSCRIBE).arg(probeChannel);
            all.forEach(subscribe::arg);
            connection.send(subscribe).onFailure(failure -> lost(connection, failure.getMessage()));
            LOG.infof("Redis subscriber connected; %d channels", all.size());
        });
    }

    private void lost(RedisConnection connection, String reason) {
        if (subscriber == connection) {
            subscriber = null;
            lastFailure = reason;
            LOG.warnf("Redis subscriber connection lost (%s); reconnecting", reason);
            connection.close();
            retry();
        }
    }

    private void retry() {
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        vertx.setTimer(delay, ignored -> connect());
    }

    private void onPush(Response push) {
        lastHeard = System.nanoTime();
        if (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) {
            return;
        }
        if (push.size() < 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        String channel = push.get(1).toString();
        if (channel.equals(probeChannel)) {
            probeSent = 0;
            silent = null;
            return;
        }
        Topic topic = channels.topicOf(channel);
        if (topic == null) {
            return;
        }
        RedisEnvelope.Received received = RedisEnvelope.decode(topic, push.get(2).toString());
        if (received != null && !instance.equals(received.origin())) {
            fanout.deliver(received.delivery());
        }
    }
}
