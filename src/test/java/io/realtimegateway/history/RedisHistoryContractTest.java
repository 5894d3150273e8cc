package io.realtimegateway.history;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.support.RedisTestServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * The history contract over a real Redis (embedded, or GATEWAY_TEST_REDIS_URL). Each test has its own key prefix;
 * losing everything deletes the test's keys, as a Redis restart without persistence would.
 */
class RedisHistoryContractTest extends MessageHistoryContractTest {

    private static final RedisTestServer SERVER = new RedisTestServer();
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static Vertx vertx;
    private static Redis redis;

    private RedisLink link;
    private String prefix;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        redis = null;
        SERVER.stop();
    }

    /** The client of the Redis the tests run on; made once per class. */
    Redis connect(Vertx vertx) {
        return Redis.createClient(vertx, SERVER.start(true));
    }

    @Override
    MessageHistory create(int maxMessages, long maxAgeMillis, LongSupplier clock) {
        if (link != null) {
            link.close();
        }
        if (redis == null) {
            redis = connect(vertx);
        }
        prefix = "test" + ProcessHandle.current().pid() + "-" + TESTS.incrementAndGet() + ":";
        link = new RedisLink(redis, vertx, "history", RedisHistory.SCRIPTS, Duration.ofSeconds(5));
        link.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> link.problem() == null);
        return new RedisHistory(link, prefix, maxMessages, maxAgeMillis, clock);
    }

    @Override
    void loseEverything() {
        for (String key : new String[] { "hist:{room:lobby}", "hseq:{room:lobby}" }) {
            redis.send(Request.cmd(Command.DEL).arg(prefix + key)).toCompletionStage().toCompletableFuture().join();
        }
    }

    @AfterEach
    void closeLinkAndDeleteKeys() {
        link.close();
        var keys = redis.send(Request.cmd(Command.KEYS).arg(prefix + "*")).toCompletionStage().toCompletableFuture()
                .join();
        for (var key : keys) {
            redis.send(Request.cmd(Command.DEL).arg(key.toString())).toCompletionStage().toCompletableFuture().join();
        }
    }
}
