package io.realtimegateway.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.support.MutingTcpProxy;
import io.realtimegateway.support.RedisTestServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * The subscriber connection on a real Redis behind a proxy: a subscription counts as done only once Redis confirmed it
 * (the client library completes a SUBSCRIBE as soon as it is written), so a join acknowledged after it misses nothing.
 */
class RedisSubscriberTest {

    private static final RedisTestServer SERVER = new RedisTestServer();
    private static Vertx vertx;
    private static Redis direct;
    private static MutingTcpProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        String url = SERVER.start(false);
        direct = Redis.createClient(vertx, url);
        proxy = new MutingTcpProxy(java.net.URI.create(url).getPort());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        SERVER.stop();
    }

    @Test
    void aSubscriptionIsDoneWhenRedisConfirmsItNotWhenItIsWritten() throws Exception {
        Redis proxied = Redis.createClient(vertx, "redis://127.0.0.1:" + proxy.port());
        RedisLink prober = new RedisLink(proxied, vertx, "prober", List.of(), Duration.ofSeconds(1));
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        RedisSubscriber subscriber = new RedisSubscriber(proxied, vertx, prober, "test:probe", "me",
                Duration.ofSeconds(60), Duration.ofSeconds(1), (channel, payload) -> received.add(payload.toString()), () -> {
                }, () -> {
                });
        prober.start();
        subscriber.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.problem() == null && prober.problem() == null);
            proxy.holdSubscriberReplies();
            CompletableFuture<Void> done = subscriber.subscribe("test:room").toCompletableFuture();
            // Redis has run the SUBSCRIBE (it counts the subscriber), but its confirmation is held back.
            await().atMost(Duration.ofSeconds(10)).until(() -> direct.send(Request.cmd(Command.PUBSUB).arg("NUMSUB")
                    .arg("test:room")).toCompletionStage().toCompletableFuture().get().get(1).toInteger() == 1);
            assertFalse(done.isDone(), "the subscription was reported done before Redis confirmed it");

            proxy.releaseSubscriberReplies();
            done.get(10, TimeUnit.SECONDS);
            direct.send(Request.cmd(Command.PUBLISH).arg("test:room").arg("hello")).toCompletionStage()
                    .toCompletableFuture().get();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("hello"));
            assertEquals(List.of("hello"), List.copyOf(received));
        } finally {
            proxy.releaseSubscriberReplies();
            subscriber.close();
            prober.close();
        }
    }
}
