package io.realtimegateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

import io.realtimegateway.redis.NodeClients;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.redis.RedisSubscriber;
import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.RedisCluster;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/**
 * Sharded against classic pub/sub, through the gateway's own Redis layer (the publishing {@link RedisLink} and the
 * {@link RedisSubscriber}, as one gateway instance uses them; no WebSocket clients): 100 room channels, a fixed
 * publish rate, on a local Redis Cluster of 3 masters and 3 replicas ({@link RedisCluster}) and on a standalone
 * Redis 7. Prints per run: Redis CPU per published message summed over every node ({@code INFO cpu}, user + sys),
 * cluster-bus messages per published message ({@code CLUSTER INFO} {@code cluster_stats_messages_publish_sent} and
 * {@code cluster_stats_messages_publishshard_sent}, summed over the nodes), and the latency from the publish to the
 * subscriber's callback, p50/p99. Needs {@code /usr/bin/redis-server} 7 (or {@code GATEWAY_TEST_REDIS_SERVER}).
 * Run after {@code ./mvnw test-compile}: {@code bench/cluster-pubsub.sh} (arguments: rate per second, seconds).
 */
public final class ClusterPubSubBench {

    private static final int ROOMS = 100;

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf("%d rooms, %d messages/s for %d s per run; CPU and bus messages summed over all nodes%n",
                ROOMS, rate, seconds);
        System.out.printf("%-26s %14s %14s %10s %10s %9s%n", "setup", "CPU us/msg", "bus msgs/msg", "p50 ms",
                "p99 ms", "received");
        Vertx vertx = Vertx.vertx();
        try (RedisCluster cluster = RedisCluster.start()) {
            RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
            List<Integer> ports = new ArrayList<>();
            cluster.nodes().forEach(node -> {
                options.addConnectionString("redis://127.0.0.1:" + node.port());
                ports.add(node.port());
            });
            Redis redis = Redis.createClient(vertx, options);
            NodeClients nodes = new NodeClients(vertx, "redis://127.0.0.1:" + ports.get(0));
            run(vertx, redis, nodes, cluster, ports, true, rate, 1, null); // warm-up: JIT, connections
            for (boolean sharded : new boolean[] { true, false }) {
                run(vertx, redis, nodes, cluster, ports, sharded, rate, seconds,
                        "cluster 3+3, " + (sharded ? "sharded" : "classic"));
            }
            nodes.close();
            redis.close();
            int port = PackagedApp.freePort();
            Process standalone = standalone(port);
            try {
                Redis single = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
                for (boolean sharded : new boolean[] { true, false }) {
                    run(vertx, single, null, cluster, List.of(port), sharded, rate, seconds,
                            "standalone, " + (sharded ? "sharded" : "classic"));
                }
                single.close();
            } finally {
                standalone.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        System.exit(0); // the Vert.x clients' threads would keep exec:java waiting
    }

    private static void run(Vertx vertx, Redis redis, NodeClients nodes, RedisCluster cli, List<Integer> ports,
            boolean sharded, int rate, int seconds, String label) throws Exception {
        LatencyRecorder latencies = new LatencyRecorder();
        AtomicLong received = new AtomicLong();
        RedisLink publisher = new RedisLink(redis, vertx, "bench-publisher", List.of(), Duration.ofSeconds(5));
        publisher.start();
        awaitUntil(() -> publisher.problem() == null && publisher.server() != null);
        String prefix = "bench-" + System.nanoTime() + ":";
        RedisSubscriber subscriber = new RedisSubscriber(redis, vertx, nodes == null ? null : nodes::client, sharded,
                publisher, prefix + "probe", "x", Duration.ofSeconds(10), Duration.ofSeconds(5), (channel, payload) -> {
                    long micros = (System.nanoTime() - Long.parseLong(payload.toString())) / 1000;
                    synchronized (latencies) {
                        latencies.record(micros);
                    }
                    received.incrementAndGet();
                }, () -> { }, () -> { });
        subscriber.start();
        awaitUntil(() -> subscriber.problem() == null);
        List<String> channels = new ArrayList<>();
        List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            String channel = prefix + "room:{room:r" + i + "}";
            channels.add(channel);
            subscribed.add(subscriber.subscribe(channel, true).toCompletableFuture());
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        awaitUntil(() -> subscriber.problem() == null);
        boolean spublish = subscriber.sharded();
        double cpuBefore = sum(cli, ports, "INFO", "cpu", "used_cpu_user", "used_cpu_sys");
        double busBefore = sum(cli, ports, "CLUSTER", "INFO", "cluster_stats_messages_publish_sent",
                "cluster_stats_messages_publishshard_sent");
        long total = (long) rate * seconds;
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long timer = vertx.setPeriodic(1, id -> {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
            while (sent.get() < due) {
                long n = sent.getAndIncrement();
                Request publish = Request.cmd(spublish ? Command.SPUBLISH : Command.PUBLISH)
                        .arg(channels.get((int) (n % ROOMS))).arg(Long.toString(System.nanoTime()));
                publisher.send(publish).subscribe().with(ok -> { }, failure -> { });
            }
            if (sent.get() >= total) {
                vertx.cancelTimer(id);
                done.complete(null);
            }
        });
        done.get(seconds + 30L, TimeUnit.SECONDS);
        awaitUntil(() -> received.get() >= total);
        vertx.cancelTimer(timer);
        double cpu = sum(cli, ports, "INFO", "cpu", "used_cpu_user", "used_cpu_sys") - cpuBefore;
        double bus = sum(cli, ports, "CLUSTER", "INFO", "cluster_stats_messages_publish_sent",
                "cluster_stats_messages_publishshard_sent") - busBefore;
        subscriber.close();
        publisher.close();
        if (label != null) {
            System.out.printf(Locale.ROOT, "%-26s %14.2f %14.2f %10.2f %10.2f %9d%n", label + (spublish ? "" : "*"),
                    cpu * 1e6 / total, bus / total, latencies.percentile(0.5) / 1000.0,
                    latencies.percentile(0.99) / 1000.0, received.get());
        }
    }

    /** The sum over the nodes of the named fields of an {@code INFO}-like reply (absent fields count 0). */
    private static double sum(RedisCluster cli, List<Integer> ports, String command, String section,
            String... fields) {
        double total = 0;
        for (int port : ports) {
            String reply = cli.cli(port, command, section);
            for (String line : reply.split("\n")) {
                for (String field : fields) {
                    if (line.startsWith(field + ":")) {
                        total += Double.parseDouble(line.substring(field.length() + 1).trim());
                    }
                }
            }
        }
        return total;
    }

    private static Process standalone(int port) throws Exception {
        Path dir = Files.createTempDirectory("redis-standalone");
        String server = System.getenv().getOrDefault("GATEWAY_TEST_REDIS_SERVER", "/usr/bin/redis-server");
        Process process = new ProcessBuilder(server, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile()).start();
        Vertx probe = Vertx.vertx();
        try {
            Redis client = Redis.createClient(probe, "redis://127.0.0.1:" + port);
            awaitUntil(() -> {
                try {
                    client.send(Request.cmd(Command.PING)).toCompletionStage().toCompletableFuture().get();
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        } finally {
            probe.close();
        }
        return process;
    }

    private static void awaitUntil(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
