package io.realtimegateway.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.realtimegateway.support.RedisTestServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Scripts come from the class path, and a server that lost them ({@code SCRIPT FLUSH}) costs failed commands, never
 * reordered ones: the link reconnects, loads every script again, and later runs see their effects in call order.
 */
class ALostScriptIsReloadedWithoutReorderingTest {

    private static final RedisTestServer SERVER = new RedisTestServer();
    private static final RedisScript INCR = RedisScript.load("test-incr");
    private static Vertx vertx;
    private static Redis redis;

    @BeforeAll
    static void startRedis() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, SERVER.start(false));
    }

    @AfterAll
    static void stopRedis() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        SERVER.stop();
    }

    @Test
    void aMissingScriptFileIsNamedAtOnce() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> RedisScript.load("no-such-script"));
        assertTrue(missing.getMessage().contains("redis/no-such-script.lua"), missing.getMessage());
    }

    @Test
    void afterAScriptFlushRunsFailUntilReloadedAndNeverRunOutOfOrder() {
        RedisLink link = new RedisLink(redis, vertx, "test", List.of(INCR), Duration.ofSeconds(5));
        link.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> link.problem() == null);
            assertEquals(1L, INCR.run(link, List.of("n"), List.of()).await().atMost(Duration.ofSeconds(5)).toLong());

            redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).toCompletionStage().toCompletableFuture().join();
            ConcurrentLinkedQueue<Long> values = new ConcurrentLinkedQueue<>();
            AtomicInteger failed = new AtomicInteger();
            int total = 200;
            for (int i = 0; i < total; i++) {
                INCR.run(link, List.of("n"), List.of()).subscribe()
                        .with(reply -> values.add(reply.toLong()), failure -> failed.incrementAndGet());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> values.size() + failed.get() == total);
            assertTrue(failed.get() > 0, "the flushed script cannot have run: NOSCRIPT first");

            // The link came back with the script loaded again: runs succeed, in call order.
            await().atMost(Duration.ofSeconds(10)).until(() -> link.problem() == null);
            long before = INCR.run(link, List.of("n"), List.of()).await().atMost(Duration.ofSeconds(5)).toLong();
            long after = INCR.run(link, List.of("n"), List.of()).await().atMost(Duration.ofSeconds(5)).toLong();
            assertEquals(before + 1, after);
            long previous = 1;
            for (long value : values) {
                assertTrue(value > previous, "a run's effect came out of order: " + values);
                previous = value;
            }
        } finally {
            link.close();
        }
    }
}
