package io.realtimegateway.support;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.node.TextNode;

import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.history.RedisHistory;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.IdFrame;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.redis.RedisEnvelope;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisLink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/**
 * Publishes to a room (or notifies a user) as another gateway instance on the same Redis does: the message is numbered
 * in the room's (user's) history ({@link RedisHistory}), then published on the room's channel in the one envelope
 * ({@link RedisEnvelope}).
 * It talks to Redis directly, so a proxy that silences the gateway's subscriber does not silence it.
 */
public final class AnotherInstance implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Redis redis;
    private final RedisLink link;
    private final RedisHistory history;
    private final RedisKeys keys = new RedisKeys("gateway:");

    /** @param maxMessages the history bound the gateway under test uses */
    public AnotherInstance(int redisPort, int maxMessages) {
        this(new RedisOptions().setConnectionString("redis://127.0.0.1:" + redisPort), maxMessages);
    }

    /** Another instance on a Redis Cluster, every node named. */
    public AnotherInstance(RedisCluster cluster, int maxMessages) {
        this(clusterOptions(cluster), maxMessages);
    }

    private static RedisOptions clusterOptions(RedisCluster cluster) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        cluster.nodes().forEach(node -> options.addConnectionString("redis://127.0.0.1:" + node.port()));
        return options;
    }

    private AnotherInstance(RedisOptions options, int maxMessages) {
        redis = Redis.createClient(vertx, options);
        link = new RedisLink(redis, vertx, "another-instance", RedisHistory.SCRIPTS, Duration.ofSeconds(5));
        link.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> link.problem() == null);
        history = new RedisHistory(link, "gateway:", maxMessages, 300_000, System::currentTimeMillis);
    }

    /** Numbers {@code text} in the room's history and publishes it; returns once Redis has both. */
    public void publish(String room, String text) {
        send(Topic.room(room),
                ServerFrames.messageTemplate(room, "far-user", TextNode.valueOf(text), System.currentTimeMillis()));
    }

    /** Numbers the binary message {@code payload} in the room's history and publishes it. */
    public void publish(String room, byte[] payload) {
        send(Topic.room(room), ServerFrames.binaryMessageTemplate(room, "far-user", System.currentTimeMillis(),
                payload));
    }

    /** Numbers a notification of {@code text} in the user's history and publishes it. */
    public void notify(String user, String text) {
        send(Topic.user(user), ServerFrames.notificationTemplate(TextNode.valueOf(text), System.currentTimeMillis()));
    }

    /**
     * Waits until an instance subscribed to the topic's channel (subscriptions follow connections asynchronously), on
     * a standalone Redis.
     */
    public void awaitSubscribed(Topic topic) {
        String numsub = sharded() ? "SHARDNUMSUB" : "NUMSUB";
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> redis
                .send(Request.cmd(Command.PUBSUB).arg(numsub).arg(keys.channel(topic))).toCompletionStage()
                .toCompletableFuture().get().get(1).toInteger() > 0);
    }

    /** Whether it publishes as the gateway does on this server: sharded pub/sub on Redis 7 or newer. */
    private boolean sharded() {
        return link.server().shardedPubSub();
    }

    private void send(Topic topic, IdFrame frame) {
        MessageHistory.Entry entry = history.append(topic, frame).await().atMost(Duration.ofSeconds(5));
        Buffer payload = RedisEnvelope.encode("another-instance", new Delivery(topic, null, entry.frame(), entry.id()));
        redis.send(Request.cmd(sharded() ? Command.SPUBLISH : Command.PUBLISH).arg(keys.channel(topic)).arg(payload))
                .toCompletionStage()
                .toCompletableFuture().join();
    }

    @Override
    public void close() {
        link.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
