package io.realtimegateway.broadcast;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.config.PubSubKind;
import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.redis.RedisEnvelope;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.redis.RedisSubscriber;
import io.realtimegateway.session.LocalTopicListener;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
 * everyone while it has a chat connection, on its {@link RedisSubscriber}, which resubscribes after a reconnect
 * and probes its own liveness. Rooms, presence and user streams ride sharded pub/sub ({@code SPUBLISH}, subscribed on
 * the master of each channel's slot) on a Redis 7.0 or newer unless {@code gateway.redis.pub-sub=classic}; broadcasts
 * to everyone ride classic pub/sub.
 * <p>
 * Continuity: Redis pub/sub is at most once, and a message lost between Redis and this instance is lost for all its
 * members. So every room and user stream with local members is followed by history offset ({@link StreamContinuity}):
 * whatever way a message arrives, it is delivered once; every {@code gateway.history.position-check}, and at once
 * after the subscriber connection was re-established, the history's newest offset is read (one read per topic), and
 * what is still missing of it a command timeout later (so not a message merely on its way) is filled from the
 * history, oldest first, before the count goes on. When the history no longer holds what is missing, the topic's
 * members get {@code {"type":"resync"}} and should reload. Filled messages arrive later than
 * those published after them; a client that needs strict order recovers with {@code since}.
 * <p>
 * Ordering: one publisher's messages to one topic are published in order on one connection and Redis keeps that order
 * per channel, so every instance delivers them in order (gaps aside). Threading: never blocks; Redis callbacks run on
 * Vert.x event loops.
 */
public final class RedisBroker implements Broker, LocalTopicListener {

    private static final Logger LOG = Logger.getLogger(RedisBroker.class);
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(2);

    private final LocalFanout fanout;
    private final RedisKeys keys;
    private final String instance;
    private final RedisLink publisher;
    private final RedisSubscriber subscriber;
    private final Map<Topic, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private volatile String publishFailure;
    private final MessageHistory history;
    private final StreamContinuity continuity;
    private final Vertx vertx;
    private final long positionCheckMillis;
    private final long fillGraceMillis;
    private final Counter filled;
    private final Counter resyncs;
    private long checkTimer = -1;

    /**
     * @param instance this instance's id, the origin of what it publishes
     * @param history where gaps are filled from (the Redis history of the same Redis)
     */
    public RedisBroker(Redis redis, Vertx vertx, LocalFanout fanout, GatewayConfig.RedisSettings settings,
            Duration positionCheck, String instance, MessageHistory history,
            GatewayMetrics metrics) {
        this(redis, vertx, null, fanout, settings, positionCheck, instance, history, metrics);
    }

    /**
     * @param nodeClients the client of one Redis Cluster node by endpoint, for sharded subscriptions on a cluster
     *        ({@link io.realtimegateway.redis.NodeClients}); unused on a standalone Redis
     */
    public RedisBroker(Redis redis, Vertx vertx, Function<String, Redis> nodeClients, LocalFanout fanout,
            GatewayConfig.RedisSettings settings, Duration positionCheck, String instance, MessageHistory history,
            GatewayMetrics metrics) {
        this.fanout = fanout;
        this.vertx = vertx;
        this.keys = new RedisKeys(settings.channelPrefix());
        this.instance = instance;
        this.history = history;
        this.continuity = new StreamContinuity(Broadcaster.LOCAL_EPOCH_PREFIX);
        this.positionCheckMillis = Math.max(1, positionCheck.toMillis());
        this.fillGraceMillis = Math.max(1, settings.commandTimeout().toMillis());
        this.filled = metrics.counter("gateway.redis.gap.filled");
        this.resyncs = metrics.counter("gateway.redis.resyncs");
        Counter probeMisses = metrics.counter("gateway.redis.probe.misses");
        this.publisher = new RedisLink(redis, vertx, "publisher", List.of(), settings.commandTimeout());
        // An append that timed out was delivered here under a local id; if it was numbered after all, that offset
        // counts as delivered, so the position check does not deliver it again from the history.
        history.onLateAppend(continuity::admit);
        this.subscriber = new RedisSubscriber(redis, vertx, nodeClients, settings.pubSub() == PubSubKind.AUTO,
                publisher, keys.probe(instance), instance, settings.probeInterval(), settings.commandTimeout(),
                this::received, probeMisses::increment,
                this::checkPositions);
    }

    /** Opens the subscriber and publisher connections in the background; the instance starts without Redis. */
    public void start() {
        subscriber.start();
        publisher.start();
        checkTimer = vertx.setPeriodic(positionCheckMillis, ignored -> checkPositions());
    }

    /** Closes both connections; nothing reconnects afterwards. */
    public void close() {
        if (checkTimer >= 0) {
            vertx.cancelTimer(checkTimer);
        }
        subscriber.close();
        publisher.close();
    }

    @Override
    public Uni<Void> publish(Delivery delivery) {
        if (continuity.admit(delivery.topic(), delivery.position())) {
            fanout.deliver(delivery);
        }
        Request request = Request.cmd(sharded(delivery.topic()) ? Command.SPUBLISH : Command.PUBLISH)
                .arg(keys.channel(delivery.topic()))
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
        boolean numbered = topic.kind() == Topic.Kind.ROOM || topic.kind() == Topic.Kind.USER;
        if (numbered) {
            continuity.follow(topic); // before subscribing: what arrives from then on is counted
        }
        CompletableFuture<Void> done = subscriber.subscribe(keys.channel(topic), topic.kind() != Topic.Kind.ALL)
                .toCompletableFuture();
        pending.put(topic, done);
        if (numbered) {
            done.thenRun(() -> readBaseline(topic));
        }
    }

    @Override
    public Uni<Void> subscribed(Topic topic) {
        // Deferred: the subscription is looked up when the caller subscribes, after its connection joined the topic.
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> done = pending.get(topic);
            return done == null || done.isDone() ? Uni.createFrom().voidItem()
                    : Uni.createFrom().completionStage(done).ifNoItem().after(SUBSCRIBE_WAIT)
                            .recoverWithItem((Void) null);
        });
    }

    @Override
    public void lastLocalGone(Topic topic) {
        pending.remove(topic);
        continuity.forget(topic);
        subscriber.unsubscribe(keys.channel(topic));
    }

    /**
     * Whether a topic's messages go over sharded pub/sub: rooms, presence and user streams do when the subscriber
     * uses it ({@code gateway.redis.pub-sub} and a Redis 7.0 or newer); broadcasts to everyone never do.
     */
    private boolean sharded(Topic topic) {
        return topic.kind() != Topic.Kind.ALL && subscriber.sharded();
    }

    /** Once subscribed, what the history already holds is not this instance's to deliver. */
    private void readBaseline(Topic topic) {
        history.newest(topic).subscribe().with(newest -> continuity.baseline(topic, newest), failure -> {
            // The next position check reads it again.
        });
    }

    /**
     * One read of the history's newest id per followed topic. An offset not delivered yet is not a gap at once: a
     * message numbered a moment ago may still be on its way (one of this instance's own publishes between its append
     * and its delivery, or another instance's crossing Redis), and filling it then would deliver it ahead of the
     * messages before it, and to its own publisher. So what is missing at the read is looked at again a grace later
     * (the command timeout: by then a local publish has been delivered or has failed), and only what is still missing
     * of it then is filled from the history.
     */
    private void checkPositions() {
        for (Topic topic : continuity.followed()) {
            history.newest(topic).subscribe().with(newest -> {
                continuity.baseline(topic, newest); // when the read at subscription failed
                if (continuity.missingAfter(topic, newest) != null) {
                    vertx.setTimer(fillGraceMillis, ignored -> fillUpTo(topic, newest));
                }
            }, failure -> {
                // Redis unreachable: readiness says so; the next check tries again.
            });
        }
    }

    /** Fills from the history what is still missing up to {@code limit}, a newest id read a grace ago. */
    private void fillUpTo(Topic topic, StreamId limit) {
        StreamId after = continuity.missingAfter(topic, limit);
        if (after == null) {
            return;
        }
        history.since(topic, after).subscribe().with(replay -> {
            if (!replay.recovered()) {
                LOG.infof("%s: messages lost on their way here are no longer in the history; resync", topic);
                resyncs.increment();
                continuity.skipTo(topic, replay.last() != null ? replay.last() : limit);
                fanout.deliver(new Delivery(topic, null,
                        ServerFrames.resync(topic.kind() == Topic.Kind.ROOM ? topic.name() : null), null));
                return;
            }
            for (MessageHistory.Entry entry : replay.entries()) {
                StreamId id = entry.id();
                if (id.epoch().equals(limit.epoch()) && id.offset() > limit.offset()) {
                    break; // newer than the read a grace ago: judged at the next check
                }
                if (continuity.admitFilled(topic, id)) {
                    filled.increment();
                    fanout.deliver(new Delivery(topic, null, entry.frame(), id));
                }
            }
        }, failure -> {
            // The next check tries again.
        });
    }

    private void received(String channel, Buffer payload) {
        Topic topic = keys.topicOf(channel);
        if (topic == null) {
            return;
        }
        RedisEnvelope.Received received = RedisEnvelope.decode(topic, payload);
        if (received != null && !instance.equals(received.origin())
                && continuity.admit(topic, received.delivery().position())) {
            fanout.deliver(received.delivery());
        }
    }
}
