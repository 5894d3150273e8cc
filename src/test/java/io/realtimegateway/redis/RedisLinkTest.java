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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.realtimegateway.support.RedisTestServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * The pipelined link on a real Redis of its own (the stall test pauses every client of the server): bursts far beyond
 * the client library's waiting limit are answered in order, a stalled Redis cannot make the queue grow without bound,
 * and scripts come from the class path: a server that lost them ({@code SCRIPT FLUSH}) costs failed commands, never
 * reordered ones (the link reconnects and loads every script again).
 */
class RedisLinkTest {

    private static final RedisTestServer SERVER = new RedisTestServer();
    private static final RedisScript INCR = RedisScript.load("test-incr");
    private static Vertx vertx;
    private static Redis redis;
    private RedisLink link;

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

    @BeforeEach
    void open() {
        link = new RedisLink(redis, vertx, "test", List.of(), Duration.ofSeconds(5));
        link.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> link.problem() == null);
    }

    @AfterEach
    void close() {
        link.close();
    }

    @Test
    void aBurstSevenTimesTheClientLibrarysLimitIsExecutedAndAnsweredInOrder() {
        int total = 15_000; // the client library alone fails every command beyond 2,048 waiting for a reply
        ConcurrentLinkedQueue<Long> replies = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < total; i++) {
            link.send(Request.cmd(Command.INCR).arg("burst")).subscribe()
                    .with(reply -> replies.add(reply.toLong()), failure -> failures.incrementAndGet());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> replies.size() + failures.get() == total);
        assertEquals(0, failures.get(), "commands failed under a burst");
        long expected = 1;
        for (long value : replies) {
            assertEquals(expected++, value, "replies out of order");
        }
    }

    @Test
    void whileRedisStallsAtMostTheWindowAndTheQueueWaitAndTheRestFailAtOnce() {
        redis.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(1500).arg("ALL")).toCompletionStage()
                .toCompletableFuture().join();
        int bound = RedisLink.MAX_IN_FLIGHT + RedisLink.MAX_WAITING;
        int total = bound + 100;
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < total; i++) {
            link.send(Request.cmd(Command.PING)).subscribe()
                    .with(reply -> answered.incrementAndGet(), failure -> failures.add(failure.getMessage()));
        }
        assertEquals(100, failures.size(), "only the commands beyond the bound fail, and at once");
        assertTrue(failures.peek().contains("not keeping up"), failures.peek());
        assertEquals(0, answered.get(), "Redis is paused: nothing can have been answered yet");
        await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() == bound);
        assertEquals(100, failures.size());
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
