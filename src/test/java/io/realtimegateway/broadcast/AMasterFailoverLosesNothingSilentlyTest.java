package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.message.Topic;
import io.realtimegateway.redis.HashSlot;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.support.AnotherInstance;
import io.realtimegateway.support.RedisCluster;
import io.realtimegateway.support.RequiresRedisCluster;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WithRedisCluster;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * A master of the cluster is killed (SIGKILL) under traffic, after its replica was made to miss its last writes
 * (the replica is told to authenticate to its master as a user that does not exist, then its link is cut: it cannot
 * reconnect, and the master and its clients go on unaware). Readiness goes DOWN
 * while the shard is unreachable and comes back; the room's member, subscribed on the dead master, gets every message
 * whose publish succeeded, each once, after a pause that is measured and printed; and a rejoin with a {@code since}
 * from before the lost writes gets {@code recovered: false}, or exactly the messages after it: never a silent gap nor
 * a duplicate. The killed node is restarted afterwards, and rejoins as a replica.
 */
@QuarkusTest
@TestProfile(WithRedisCluster.class)
@RequiresRedisCluster
class AMasterFailoverLosesNothingSilentlyTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    private int ready() {
        return given().get(management.resolve("/q/health/ready")).statusCode();
    }

    @Test
    void deliveryResumesAndARejoinFromBeforeIsRecoveredOrToldNot() throws Exception {
        RedisCluster cluster = RedisCluster.shared();
        String room = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        int master = cluster.masterOf(HashSlot.of(new RedisKeys("gateway:").channel(Topic.room(room))));
        int replica = cluster.replicaOf(master);
        Map<String, Long> published = new ConcurrentHashMap<>(); // text acknowledged -> when its publish began (ms)
        AtomicBoolean going = new AtomicBoolean(true);
        AtomicInteger counter = new AtomicInteger();
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("stays"));
                AnotherInstance far = new AnotherInstance(cluster, 5000)) {
            assertEquals("ack", member.request(join(room, "1")).getString("type"));
            await().atMost(Duration.ofSeconds(30)).until(() -> ready() == 200);
            // About 50 publishes a second (a publish waits up to 5 s while the shard is unreachable).
            publisher.scheduleAtFixedRate(() -> {
                if (!going.get()) {
                    return;
                }
                String text = "m" + counter.incrementAndGet();
                long began = System.currentTimeMillis();
                try {
                    far.publish(room, text);
                    published.put(text, began);
                } catch (RuntimeException e) {
                    // unreachable shard: not acknowledged, so not owed to anyone (it may still arrive)
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            List<JsonObject> received = new ArrayList<>();
            receiveUntil(member, received, () -> received.size() >= 20);
            String since = received.get(received.size() - 1).getString("id");

            // The replica misses what comes now.
            ProcessHandle masterProcess = cluster.processOf(master);
            cluster.cli(replica, "CONFIG", "SET", "masteruser", "nobody");
            cluster.cli(replica, "CONFIG", "SET", "masterauth", "wrong");
            cluster.cli(replica, "CLIENT", "KILL", "TYPE", "master");
            long cutAt = System.currentTimeMillis();
            receiveUntil(member, received, () -> published.values().stream().filter(t -> t > cutAt).count() >= 10);
            long replicaHas = Long.parseLong(offset(cluster.cli(replica, "INFO", "replication"), "slave_repl_offset"));
            long masterHas = Long.parseLong(offset(cluster.cli(master, "INFO", "replication"), "master_repl_offset"));
            assertTrue(replicaHas < masterHas, () -> "the replica should have missed the last writes: replica at "
                    + replicaHas + ", master at " + masterHas);
            long killedAt = System.currentTimeMillis();
            cluster.kill(masterProcess);

            AtomicLong downAt = new AtomicLong();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (ready() != 200) {
                    downAt.set(System.currentTimeMillis());
                    return true;
                }
                return false;
            });
            // Delivery resumes: a message published after the kill arrives.
            receiveUntil(member, received, () -> received.stream().anyMatch(m -> {
                Long began = published.get(m.getString("data"));
                return began != null && began > killedAt;
            }));
            long resumedAt = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> ready() == 200);
            long readyAt = System.currentTimeMillis();
            going.set(false);
            publisher.shutdown();
            assertTrue(publisher.awaitTermination(10, TimeUnit.SECONDS));

            // Every acknowledged message arrives, once.
            receiveUntil(member, received, () -> texts(received).containsAll(published.keySet()));
            Set<String> seen = new HashSet<>();
            for (JsonObject m : received) {
                assertTrue(seen.add(m.getString("data")), () -> "delivered twice: " + m);
            }
            System.out.printf("failover: readiness DOWN %d ms after the kill, delivery resumed after %d ms, "
                    + "readiness UP after %d ms; %d messages acknowledged, %d delivered%n", downAt.get() - killedAt,
                    resumedAt - killedAt, readyAt - killedAt, published.size(), received.size());

            // A rejoin from before the lost writes: everything after it, or recovered: false.
            try (WsClient again = WsClient.connect(base, "/ws/chat", Tokens.user("comes-back"))) {
                JsonObject ack = again.request(join(room, "2").put("since", since));
                if (ack.getBoolean("recovered")) {
                    // Live, a message filled from the history arrives after those published later: compare as sets.
                    Set<String> expected = new HashSet<>();
                    boolean after = false;
                    for (JsonObject m : received) {
                        if (after) {
                            expected.add(m.getString("data"));
                        }
                        after |= m.getString("id").equals(since);
                    }
                    Set<String> replayed = new HashSet<>();
                    while (replayed.size() < expected.size()) {
                        String data = again.next("message").getString("data");
                        assertTrue(replayed.add(data), () -> "replayed twice: " + data);
                    }
                    assertEquals(expected, replayed, "recovered: true must replay exactly what came after since");
                }
                System.out.printf("failover: rejoin with since %s from before the lost writes: recovered %s%n", since,
                        ack.getBoolean("recovered"));
            }
        } finally {
            going.set(false);
            publisher.shutdownNow();
            cluster.cli(replica, "CONFIG", "SET", "masteruser", "");
            cluster.cli(replica, "CONFIG", "SET", "masterauth", "");
            if (!cluster.alive(master)) {
                cluster.restart(master);
            }
            cluster.awaitHealthy(Duration.ofSeconds(60));
        }
    }

    private static String offset(String info, String field) {
        for (String line : info.split("\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + field + " in " + info);
    }

    private static Set<String> texts(List<JsonObject> received) {
        Set<String> texts = new HashSet<>();
        received.forEach(m -> texts.add(m.getString("data")));
        return texts;
    }

    private static void receiveUntil(WsClient member, List<JsonObject> received, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting; received " + received.size());
            JsonObject frame = member.poll(Duration.ofMillis(200));
            if (frame != null && "message".equals(frame.getString("type"))) {
                received.add(frame);
            }
        }
    }
}
