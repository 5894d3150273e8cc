package io.realtimegateway.broadcast;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.redis.RedisEnvelope;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.redis.RedisSubscriber;
import io.realtimegateway.session.LocalTopicListener;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * The broker of many instances, over Redis pub/sub. A message is delivered to this instance's own connections first,
 * at once and exactly as the memory broker does (so local traffic goes on when Redis is down), then published once to
 * the topic's channel ({@link RedisKeys#channel}) on the instance's one publishing connection ({@link RedisLink}),
 * encoded once ({@link RedisEnvelope}); every other instance with local connections on the topic delivers it to them,
 * and the publishing instance ignores its own copy, so every connection gets it exactly once. Presence changes arrive
 * on a room's presence channel from the presence script and go to every instance's members, this one's included.
 * <p>
 * Subscriptions follow the local connections ({@link LocalTopicListener}): an instance subscribes to a room's channel
 * while it has a member of that room, to a user's while it has a connection of that user, and to the channel of
 * everyone while it has a chat connection, on its one {@link RedisSubscriber}, which resubscribes after a reconnect
 * and probes its own liveness.
 * <p>
 * Ordering: one publisher's messages to one topic are published in order on one connection and Redis keeps that order
 * per channel, so every instance delivers them in order. Threading: never blocks; Redis callbacks run on Vert.x event
 * loops.
 */
public final class RedisBroker implements Broker, LocalTopicListener {

    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(2);

    private final LocalFanout fanout;
    private final RedisKeys keys;
    private final String instance;
    private final RedisLink publisher;
    private final RedisSubscriber subscriber;
    private final Map<Topic, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private volatile String publishFailure;

    /**
     * @param instance this instance's id, the origin of what it publishes
     * @param onProbeMissed told of every liveness probe of the subscriber connection that did not come back in time
     */
    public RedisBroker(Redis redis, Vertx vertx, LocalFanout fanout, GatewayConfig.RedisSettings settings,
            String instance, Runnable onProbeMissed) {
        this.fanout = fanout;
        this.keys = new RedisKeys(settings.channelPrefix());
        this.instance = instance;
        this.publisher = new RedisLink(redis, vertx, "publisher", List.of(), settings.commandTimeout());
        this.subscriber = new RedisSubscriber(redis, vertx, publisher, keys.probe(instance), instance,
                settings.probeInterval(), settings.commandTimeout(), this::received, onProbeMissed);
    }

    /** Opens the subscriber and publisher connections in the background; the instance starts without Redis. */
    public void start() {
        subscriber.start();
        publisher.start();
    }

    /** Closes both connections; nothing reconnects afterwards. */
    public void close() {
        subscriber.close();
        publisher.close();
    }

    @Override
    public Uni<Void> publish(Delivery delivery) {
        fanout.deliver(delivery);
        Request request = Request.cmd(Command.PUBLISH).arg(keys.channel(delivery.topic()))
                .arg(RedisEnvelope.encode(instance, delivery));
        return publisher.send(request)
                .invoke(ok -> publishFailure = null)
                .onFailure().invoke(failure -> publishFailure = "publish failed: " + failure.getMessage())
                .replaceWithVoid();
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String problem() {
        String problem = subscriber.problem();
        if (problem == null) {
            problem = publisher.problem();
        }
        return problem != null ? problem : publishFailure;
    }

    @Override
    public void firstLocal(Topic topic) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.put(topic, done);
        subscriber.subscribe(keys.channel(topic)).thenRun(() -> done.complete(null));
    }

    @Override
    public Uni<Void> subscribed(Topic topic) {
        CompletableFuture<Void> done = pending.get(topic);
        return done == null || done.isDone() ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(done).ifNoItem().after(SUBSCRIBE_WAIT).recoverWithItem((Void) null);
    }

    @Override
    public void lastLocalGone(Topic topic) {
        pending.remove(topic);
        subscriber.unsubscribe(keys.channel(topic));
    }

    private void received(String channel, String payload) {
        Topic topic = keys.topicOf(channel);
        if (topic == null) {
            return;
        }
        RedisEnvelope.Received received = RedisEnvelope.decode(topic, payload);
        if (received != null && !instance.equals(received.origin())) {
            fanout.deliver(received.delivery());
        }
    }
}
