package io.realtimegateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.vertx.core.json.JsonObject;

/**
 * Messages published into one room by {@link AnotherInstance} at a steady pace (about 50 a second) while a test breaks
 * something, each with a unique text; it remembers which publishes were acknowledged (numbered in the history and
 * published) and when each began, so the test can ask that every acknowledged one arrives, once.
 */
public final class SteadyTraffic implements AutoCloseable {

    private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    /** Starts publishing {@code m1, m2, ...} into {@code room}. */
    public SteadyTraffic(AnotherInstance far, String room) {
        publisher.scheduleAtFixedRate(() -> {
            String text = "m" + counter.incrementAndGet();
            long began = System.currentTimeMillis();
            try {
                far.publish(room, text);
                acknowledged.put(text, began);
            } catch (RuntimeException e) {
                // an unreachable shard: not acknowledged, so owed to nobody (it may still arrive)
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** The texts whose publish was acknowledged, with when each publish began (ms). */
    public Map<String, Long> acknowledged() {
        return acknowledged;
    }

    /** How many acknowledged publishes began after {@code millis}. */
    public long acknowledgedAfter(long millis) {
        return acknowledged.values().stream().filter(began -> began > millis).count();
    }

    /** Stops publishing and waits for the publish under way. */
    @Override
    public void close() {
        publisher.shutdown();
        try {
            assertTrue(publisher.awaitTermination(10, TimeUnit.SECONDS), "a publish hung");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds the {@code message} frames {@code member} receives to {@code received} until {@code done}, at most 30 s. */
    public static void receiveUntil(WsClient member, List<JsonObject> received, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting; received " + received.size());
            JsonObject frame = member.poll(Duration.ofMillis(200));
            if (frame != null && "message".equals(frame.getString("type"))) {
                received.add(frame);
            }
        }
    }

    /** Waits until every acknowledged message arrived, and checks none arrived twice. */
    public void assertEveryAcknowledgedArrivedOnce(WsClient member, List<JsonObject> received) {
        receiveUntil(member, received, () -> texts(received).containsAll(acknowledged.keySet()));
        Set<String> seen = new HashSet<>();
        for (JsonObject m : received) {
            assertTrue(seen.add(m.getString("data")), () -> "delivered twice: " + m);
        }
    }

    /**
     * Joins {@code room} again with {@code since} on a new connection of {@code base}: either {@code recovered:
     * false}, or a replay of exactly the messages {@code received} after {@code since} (compared as sets: live, a
     * message filled from the history arrives after those published later). Returns {@code recovered}.
     */
    public static boolean rejoinGetsEverythingAfterOrIsToldNot(URI base, String room, String since,
            List<JsonObject> received) {
        try (WsClient again = WsClient.connect(base, "/ws/chat", Tokens.user("comes-back"))) {
            JsonObject ack = again.request(Frames.join(room, "rejoin").put("since", since));
            if (!ack.getBoolean("recovered")) {
                return false;
            }
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
            assertEquals(expected, replayed,
                    "recovered: true must replay exactly what came after since");
            return true;
        }
    }

    private static Set<String> texts(List<JsonObject> received) {
        Set<String> texts = new HashSet<>();
        received.forEach(m -> texts.add(m.getString("data")));
        return texts;
    }
}
