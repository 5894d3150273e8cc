package io.realtimegateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.realtimegateway.presence.RedisPresence;
import io.realtimegateway.redis.RedisLink;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * What presence costs in Redis for a big room: how fast 10,000 members enter (each user's first connection is one Lua
 * script on the pipelined link), and the latency of a query that lists all of them, with the members spread over one
 * and over four instances. Needs a Redis (argument 1, default {@code redis://127.0.0.1:6379}); uses its own key prefix
 * and deletes its keys afterwards. Run after {@code ./mvnw test-compile}:
 * {@code ./mvnw -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.realtimegateway.bench.PresenceBench}.
 */
public final class PresenceBench {

    private static final int MEMBERS = 10_000;
    private static final int QUERIES = 300;

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        Vertx vertx = Vertx.vertx();
        try {
            Redis redis = Redis.createClient(vertx, url);
            run(vertx, redis, 1, false); // warm-up: JIT and the scripts' first runs
            for (int instances : new int[] { 1, 4 }) {
                run(vertx, redis, instances, true);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static void run(Vertx vertx, Redis redis, int instanceCount, boolean print) throws Exception {
        String prefix = "presence-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        List<RedisPresence> instances = new ArrayList<>();
        List<RedisLink> links = new ArrayList<>();
        for (int i = 0; i < instanceCount; i++) {
            RedisLink link = new RedisLink(redis, vertx, "bench", RedisPresence.SCRIPTS, Duration.ofSeconds(5));
            link.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (link.problem() != null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            links.add(link);
            instances.add(new RedisPresence(link, prefix, "i" + i, 60_000, true));
        }
        try {
            long start = System.nanoTime();
            for (int u = 0; u < MEMBERS; u++) {
                instances.get(u % instanceCount).entered("big", "user-" + u);
            }
            int listed = 0;
            for (RedisPresence instance : instances) { // each link's query follows its writes
                listed = instance.users("big").await().atMost(Duration.ofSeconds(60)).size();
            }
            double enterSeconds = (System.nanoTime() - start) / 1e9;
            long[] micros = new long[QUERIES];
            for (int q = 0; q < QUERIES; q++) {
                long t = System.nanoTime();
                listed = instances.get(q % instanceCount).users("big").await().atMost(Duration.ofSeconds(10)).size();
                micros[q] = (System.nanoTime() - t) / 1000;
            }
            Arrays.sort(micros);
            if (print) {
                System.out.printf("presence, %d members on %d instance(s): entered at %.0f members/s; a query listing "
                    + "%d users: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d queries)%n", MEMBERS, instanceCount,
                    MEMBERS / enterSeconds, listed, micros[QUERIES / 2] / 1000.0, micros[QUERIES * 99 / 100] / 1000.0,
                    micros[QUERIES - 1] / 1000.0, QUERIES);
            }
        } finally {
            links.forEach(RedisLink::close);
            deleteKeys(redis, prefix);
        }
    }

    private static void deleteKeys(Redis redis, String prefix) throws Exception {
        String cursor = "0";
        do {
            Response page = redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
                    .arg("COUNT").arg(1000)).toCompletionStage().toCompletableFuture().get();
            cursor = page.get(0).toString();
            for (Response key : page.get(1)) {
                redis.send(Request.cmd(Command.DEL).arg(key.toString())).toCompletionStage().toCompletableFuture()
                        .get();
            }
        } while (!"0".equals(cursor));
    }
}
