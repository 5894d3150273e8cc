package io.realtimegateway.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.RedisTestServer;
import io.realtimegateway.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * A deploy, measured (issue 20): two gateway instances (the packaged jar) on one real Redis; CLIENTS clients on
 * instance A in ROOMS rooms; a publisher on instance B at RATE messages/s over the rooms; then SIGTERM to A. The
 * clients behave like {@code realtime.js}: on a close they wait for the server's hint ({@code retryAfterMs} in the
 * close reason) or, without one, the client's full-jitter backoff (500 ms doubling), reconnect to B (the load balancer
 * sends them to the instance that is left) and rejoin with {@code since} = the last id they saw. Prints one JSON line
 * per drain spread: time until every client is back and recovered, each client's time without a connection (p50,
 * p99), messages lost and duplicated (both must be 0), peak upgrades/s on B, peak Redis commands/s, A's exit time.
 * <pre>
 * DeployBench CLIENTS ROOMS RATE SPREAD[,SPREAD...]    e.g. 5000 50 100 5s,0s ("default": the key unset)
 * </pre>
 * Every wait is bounded; all traffic goes to loopback; run from the repository root after {@code ./mvnw package}.
 */
public final class DeployBench {

    private static final int EVENT_LOOPS = 2;
    private static final String ORIGIN = "http://localhost";
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);

    /** One simulated browser tab. */
    private static final class Client {
        final int index;
        final String room;
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        volatile String lastId;
        volatile long closedAtNanos;
        volatile long recoveredAtNanos;
        volatile boolean recovered;
        volatile long hintMs = -1;
        final AtomicInteger attempts = new AtomicInteger();

        Client(int index, String room) {
            this.index = index;
            this.room = room;
        }
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    private final WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(Integer.MAX_VALUE).setConnectTimeout(30_000));
    private final List<String> tokens = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    private DeployBench() {
        for (int i = 0; i < 64; i++) {
            tokens.add(Tokens.user("tab-" + i));
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = Integer.parseInt(args[0]);
        int rooms = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        DeployBench bench = new DeployBench();
        RedisTestServer redis = new RedisTestServer();
        String url = redis.start(false);
        try {
            for (String spread : args[3].split(",")) {
                System.out.println(bench.run(url, clients, rooms, rate, spread));
            }
        } finally {
            redis.stop();
            bench.sampler.shutdownNow();
            bench.vertx.close();
        }
        System.exit(0);
    }

    private String run(String redisUrl, int n, int roomCount, int rate, String spread) throws Exception {
        Redis redis = Redis.createClient(vertx, redisUrl);
        redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get();
        Map<String, String> settings = new HashMap<>(Map.of("gateway.broker", "redis", "quarkus.redis.hosts",
                redisUrl, "gateway.inbound.rate", "100000", "gateway.inbound.burst", "100000",
                "quarkus.log.level", "WARN"));
        if (!spread.equals("default")) {
            settings.put("gateway.drain.spread", spread);
        }
        settings.put("gateway.history.max-messages", "1000");
        try (PackagedApp a = PackagedApp.start("deploy-a", settings);
                PackagedApp b = PackagedApp.start("deploy-b", settings)) {
            long cpuBefore = processCpuMs();
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(new Client(i, "room-" + (i % roomCount)));
            }
            AtomicInteger phase = new AtomicInteger(); // 0 on A, 1 draining
            openAll(a.port(), clients, phase, b.port());

            // The publisher on B, RATE messages/s round robin over the rooms; acked ids per room are the truth.
            Map<String, List<String>> published = new ConcurrentHashMap<>();
            WebSocket publisher = connect(b.port(), 0).toCompletionStage().toCompletableFuture().get(30,
                    TimeUnit.SECONDS);
            Map<String, String> roomOfRef = new ConcurrentHashMap<>();
            CountDownLatch publisherJoined = new CountDownLatch(roomCount);
            publisher.textMessageHandler(text -> {
                JsonObject frame = new JsonObject(text);
                String ref = frame.getString("ref", "");
                if (ref.startsWith("j")) {
                    publisherJoined.countDown();
                    return;
                }
                String room = roomOfRef.remove(ref);
                if (room != null && "ack".equals(frame.getString("type"))) {
                    published.computeIfAbsent(room, r -> Collections.synchronizedList(new ArrayList<>()))
                            .add(frame.getString("id"));
                }
            });
            for (int r = 0; r < roomCount; r++) {
                publisher.writeTextMessage(new JsonObject().put("type", "join").put("room", "room-" + r)
                        .put("ref", "j" + r).encode());
            }
            if (!publisherJoined.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the publisher could not join the rooms on B");
            }
            AtomicLong sent = new AtomicLong();
            long periodMs = Math.max(1, 1000L / rate);
            long publishTimer = vertx.setPeriodic(periodMs, id -> {
                long k = sent.getAndIncrement();
                String room = "room-" + (k % roomCount);
                String ref = "p" + k;
                roomOfRef.put(ref, room);
                publisher.writeTextMessage(new JsonObject().put("type", "publish").put("room", room)
                        .put("data", k).put("ref", ref).encode());
            });

            // Warm: every client has had messages.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream()
                    .allMatch(c -> c.lastId != null));

            Samples upgrades = new Samples();
            Samples commands = new Samples();
            var sampling = sampler.scheduleAtFixedRate(() -> {
                upgrades.add(openedOn(b));
                commands.add(redisCommands(redis));
            }, 0, 200, TimeUnit.MILLISECONDS);

            phase.set(1);
            long sigterm = System.nanoTime();
            a.terminate();
            Awaitility.await().atMost(RUN_LIMIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> clients.stream().allMatch(c -> c.recoveredAtNanos != 0));
            long allBack = System.nanoTime() - sigterm;
            int exit = a.awaitExit(Duration.ofSeconds(30));
            long aExitMs = (System.nanoTime() - sigterm) / 1_000_000;

            // Two more seconds of traffic on B, then stop and let every client catch up with the last acked id.
            long until = System.nanoTime() + 2_000_000_000L;
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() >= until);
            vertx.cancelTimer(publishTimer);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> roomOfRef.isEmpty());
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> clients.stream().allMatch(c -> caughtUp(c, published)));
            sampling.cancel(false);

            long lost = 0;
            long duplicated = 0;
            for (Client c : clients) {
                long[] counts = lostAndDuplicated(c, published.getOrDefault(c.room, List.of()));
                lost += counts[0];
                duplicated += counts[1];
            }
            List<Long> downtimes = new ArrayList<>();
            long notRecovered = 0;
            long hinted = 0;
            for (Client c : clients) {
                downtimes.add((c.recoveredAtNanos - c.closedAtNanos) / 1_000_000);
                notRecovered += c.recovered ? 0 : 1;
                hinted += c.hintMs >= 0 ? 1 : 0;
            }
            Collections.sort(downtimes);
            long cpuMs = processCpuMs() - cpuBefore;
            publisher.close();
            return String.format(Locale.ROOT, "{\"scenario\":\"deploy\",\"spread\":\"%s\",\"clients\":%d,\"rooms\":%d,"
                    + "\"rate\":%d,\"published\":%d,\"all_back_ms\":%d,\"downtime_p50_ms\":%d,"
                    + "\"downtime_p99_ms\":%d,\"downtime_max_ms\":%d,\"lost\":%d,\"duplicated\":%d,"
                    + "\"recovered_false\":%d,\"closes_with_hint\":%d,\"peak_upgrades_per_s_on_b\":%d,"
                    + "\"peak_redis_commands_per_s\":%d,\"a_exit_ms\":%d,\"a_exit_status\":%d,"
                    + "\"client_cpu_ms\":%d}", spread, n, roomCount, rate, sent.get(), allBack / 1_000_000,
                    percentile(downtimes, 0.50), percentile(downtimes, 0.99), downtimes.get(downtimes.size() - 1),
                    lost, duplicated, notRecovered, hinted, upgrades.peakPerSecond(), commands.peakPerSecond(),
                    aExitMs, exit, cpuMs);
        } finally {
            redis.close();
        }
    }

    /** Opens every client on A (at most 256 handshakes at once) and joins its room. */
    private void openAll(int portA, List<Client> clients, AtomicInteger phase, int portB) throws Exception {
        Semaphore inFlight = new Semaphore(256);
        CountDownLatch joined = new CountDownLatch(clients.size());
        AtomicInteger failed = new AtomicInteger();
        for (Client c : clients) {
            inFlight.acquire();
            connect(portA, c.index).onComplete(ar -> {
                inFlight.release();
                if (ar.failed()) {
                    failed.incrementAndGet();
                    joined.countDown();
                    return;
                }
                attach(c, ar.result(), phase, portB, joined::countDown);
                ar.result().writeTextMessage(join(c, null));
            });
        }
        if (!joined.await(5, TimeUnit.MINUTES) || failed.get() > 0) {
            throw new IllegalStateException("clients that could not join A: " + failed.get() + " of "
                    + clients.size() + " (or not within 5 minutes)");
        }
    }

    /** What a tab does with its socket: keep ids, and on a close during the drain, come back on B like realtime.js. */
    private void attach(Client c, WebSocket ws, AtomicInteger phase, int portB, Runnable onJoined) {
        ws.textMessageHandler(text -> {
            JsonObject frame = new JsonObject(text);
            switch (frame.getString("type", "")) {
                case "message" -> {
                    c.ids.add(frame.getString("id"));
                    c.lastId = newer(c.lastId, frame.getString("id"));
                }
                case "ack" -> {
                    if ("rejoin".equals(frame.getString("ref"))) {
                        c.recovered = Boolean.TRUE.equals(frame.getBoolean("recovered"));
                        c.recoveredAtNanos = System.nanoTime();
                    } else if ("join".equals(frame.getString("ref"))) {
                        onJoined.run();
                    }
                }
                default -> {
                }
            }
        });
        ws.closeHandler(closed -> {
            if (phase.get() == 0 || c.closedAtNanos != 0) {
                return;
            }
            c.closedAtNanos = System.nanoTime();
            c.hintMs = hint(ws.closeReason());
            long delay = c.hintMs >= 0 ? c.hintMs : backoff(0);
            vertx.setTimer(Math.max(1, delay), t -> reconnect(c, portB));
        });
    }

    private void reconnect(Client c, int portB) {
        connect(portB, c.index).onComplete(ar -> {
            if (ar.failed()) {
                vertx.setTimer(Math.max(1, backoff(c.attempts.incrementAndGet())), t -> reconnect(c, portB));
                return;
            }
            WebSocket ws = ar.result();
            attach(c, ws, new AtomicInteger(0), portB, () -> {
            });
            ws.writeTextMessage(join(c, c.lastId));
        });
    }

    private static String join(Client c, String since) {
        JsonObject join = new JsonObject().put("type", "join").put("room", c.room)
                .put("ref", since == null ? "join" : "rejoin");
        if (since != null) {
            join.put("since", since);
        }
        return join.encode();
    }

    private io.vertx.core.Future<WebSocket> connect(int port, int index) {
        return wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws/chat?access_token=" + tokens.get(index % tokens.size())).addHeader("Origin", ORIGIN));
    }

    /** realtime.js's delay: full jitter under 500 ms doubling per attempt, at most 30 s. */
    private static long backoff(int attempt) {
        long ceiling = Math.min(30_000, 500L << Math.min(attempt, 16));
        return ThreadLocalRandom.current().nextLong(ceiling);
    }

    /** The {@code retryAfterMs} of a close reason, or -1 without one. */
    static long hint(String reason) {
        if (reason == null || !reason.startsWith("{")) {
            return -1;
        }
        try {
            Object value = new JsonObject(reason).getValue("retryAfterMs");
            return value instanceof Number number ? Math.min(60_000, Math.max(0, number.longValue())) : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String newer(String a, String b) {
        if (a == null) {
            return b;
        }
        StreamId x = StreamId.parse(a);
        StreamId y = StreamId.parse(b);
        return x == null || y == null || !x.epoch().equals(y.epoch()) || y.offset() > x.offset() ? b : a;
    }

    private static boolean caughtUp(Client c, Map<String, List<String>> published) {
        List<String> ids = published.get(c.room);
        if (ids == null || ids.isEmpty()) {
            return true;
        }
        StreamId last;
        synchronized (ids) {
            last = StreamId.parse(ids.get(ids.size() - 1));
        }
        StreamId seen = StreamId.parse(c.lastId);
        return seen != null && seen.epoch().equals(last.epoch()) && seen.offset() >= last.offset();
    }

    /** Lost: acked ids of the room from the client's first one on that it never got; duplicated: ids got twice. */
    private static long[] lostAndDuplicated(Client c, List<String> published) {
        List<String> got;
        synchronized (c.ids) {
            got = new ArrayList<>(c.ids);
        }
        Set<String> distinct = new HashSet<>(got);
        long duplicated = got.size() - distinct.size();
        if (got.isEmpty()) {
            return new long[] { published.size(), duplicated };
        }
        long first = got.stream().map(StreamId::parse).mapToLong(StreamId::offset).min().orElse(0);
        long lost = 0;
        synchronized (published) {
            for (String id : published) {
                if (StreamId.parse(id).offset() >= first && !distinct.contains(id)) {
                    lost++;
                }
            }
        }
        return new long[] { lost, duplicated };
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static long openedOn(PackagedApp app) {
        long total = 0;
        try {
            for (String line : app.text("/q/metrics").split("\n")) {
                if (line.startsWith("gateway_connections_opened_total{")) {
                    total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return total;
    }

    private static long redisCommands(Redis redis) {
        try {
            String info = redis.send(Request.cmd(Command.INFO).arg("stats")).toCompletionStage()
                    .toCompletableFuture().get(1, TimeUnit.SECONDS).toString();
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("total_commands_processed:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static long processCpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    /** A counter sampled over time; the largest increase within any one second. */
    private static final class Samples {
        private final List<long[]> points = Collections.synchronizedList(new ArrayList<>());

        void add(long value) {
            if (value >= 0) {
                points.add(new long[] { System.nanoTime(), value });
            }
        }

        long peakPerSecond() {
            List<long[]> copy;
            synchronized (points) {
                copy = new ArrayList<>(points);
            }
            long peak = 0;
            int from = 0;
            for (int to = 0; to < copy.size(); to++) {
                while (copy.get(to)[0] - copy.get(from)[0] > 1_000_000_000L) {
                    from++;
                }
                peak = Math.max(peak, copy.get(to)[1] - copy.get(from)[1]);
            }
            return peak;
        }
    }
}
