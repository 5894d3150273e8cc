package io.realtimegateway.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.realtimegateway.support.Frames;
import io.realtimegateway.support.MessageReader;
import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * The outbound path under the production defaults (rates, limits, bounds), on the packaged jar, with readers that are
 * raw sockets read by their own threads ({@link MessageReader}). Prints three figures, each with the CPU time this
 * load generator and the server used meanwhile (a run whose client saturated says little about the server):
 * <ol>
 * <li>bursts: one user's 4 connections each send their whole burst (40 messages of 60 KB) into a room with 10
 * readers that read all the time: 1013s among readers and publishers (must be 0), and the time until every reader has
 * all 160;</li>
 * <li>a reader that stops: the same bursts with one member that never reads: time to its 1013, time until the server
 * cut its TCP connection (the close timeout), and the server's peak heap meanwhile;</li>
 * <li>a replay: 1,000 messages of 60 KB published over REST, then a client joins with {@code since}: time until it
 * has all 1,000, and whether it was closed.</li>
 * </ol>
 * Run after {@code ./mvnw package}: {@code ./mvnw -q exec:java -Dexec.mainClass=io.realtimegateway.bench.FlowControlBench}.
 */
public final class FlowControlBench {

    private static final String PAD = "x".repeat(60_000);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("gateway.history.max-messages", "1000"); // the replay needs 1,000 kept; default 100
        settings.put("gateway.upgrade-rate.burst", "1000"); // every client of the bench comes from 127.0.0.1
        try (PackagedApp app = PackagedApp.start("flow", settings)) {
            bursts(app);
            stoppedReader(app);
            replay(app);
        }
        System.exit(0);
    }

    private static void bursts(PackagedApp app) throws Exception {
        Cpu cpu = Cpu.start(app);
        List<MessageReader> readers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readers.add(MessageReader.start(MessageReader.joined(app.base(), "bursts", "reader" + i, null), 160));
        }
        List<MessageReader> publishers = burst(bursters(app, "bursts"), "bursts");
        long start = System.nanoTime();
        int cut = 0;
        long slowest = 0;
        for (MessageReader reader : readers) {
            MessageReader.Result result = reader.result();
            cut += result.closeCode() == 1013 ? 1 : 0;
            slowest = Math.max(slowest, result.finishedNanos() - start);
        }
        int publishersCut = 0;
        for (MessageReader publisher : publishers) {
            publishersCut += publisher.result().closeCode() == 1013 ? 1 : 0;
            publisher.close();
        }
        readers.forEach(MessageReader::close);
        System.out.printf("bursts 4 x 40 x 60 KB to 10 readers: 1013s among readers %d of 10, among publishers %d of 4;"
                + " every reader had all 160 after %d ms; %s%n", cut, publishersCut, slowest / 1_000_000, cpu);
    }

    private static void stoppedReader(PackagedApp app) throws Exception {
        ServerHeap.gc(app);
        long heapBefore = ServerHeap.used(app);
        try (RawWebSocket sleeper = MessageReader.joined(app.base(), "stall", "sleeper", null);
                MessageReader awake = MessageReader.start(MessageReader.joined(app.base(), "stall", "awake", null),
                        160);
                ServerHeap heap = ServerHeap.sample(app)) {
            sleeper.socket().setReceiveBufferSize(8192);
            List<RawWebSocket> bursters = bursters(app, "stall");
            double closesBefore = counter(app, "gateway_slow_consumer_closes_total");
            int openBefore = app.openConnections(); // every client of this scenario, the bursters included
            Cpu cpu = Cpu.start(app);
            List<MessageReader> publishers = burst(bursters, "stall");
            long start = System.nanoTime();
            AtomicLong closedAt = new AtomicLong();
            AtomicLong cutAt = new AtomicLong();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    if (closedAt.get() == 0 && counter(app, "gateway_slow_consumer_closes_total") > closesBefore) {
                        closedAt.set(System.nanoTime());
                    }
                    if (closedAt.get() != 0 && app.openConnections() < openBefore) {
                        cutAt.set(System.nanoTime());
                    }
                    return cutAt.get() != 0;
                });
            } catch (ConditionTimeoutException e) {
                // reported below as "never"
            }
            MessageReader.Result reading = awake.result();
            publishers.forEach(MessageReader::close);
            System.out.printf("a reader that stops, beside the same bursts: 1013 after %s, TCP cut after %s; server heap"
                    + " %d MiB before, %d MiB at the peak; the member that reads got %d of 160 (close code %d); %s%n",
                    since(start, closedAt.get()), since(start, cutAt.get()), heapBefore >> 20, heap.peak() >> 20,
                    reading.numbers().size(), reading.closeCode(), cpu);
        }
    }

    private static void replay(PackagedApp app) throws Exception {
        String token = Tokens.publisher("importer");
        String since = post(app.base(), token, "{\"n\":-1}");
        for (int n = 0; n < 1000; n++) {
            post(app.base(), token, new JsonObject().put("n", n).put("pad", PAD).encode());
        }
        Cpu cpu = Cpu.start(app);
        long start = System.nanoTime();
        try (MessageReader reader = MessageReader.start(MessageReader.joined(app.base(), "replay", "returning", since),
                1000)) {
            MessageReader.Result result = reader.result();
            System.out.printf("replay of 1,000 x 60 KB after since: %d of 1000 in %d ms (close code %d); %s%n",
                    result.numbers().size(), (result.finishedNanos() - start) / 1_000_000, result.closeCode(), cpu);
        }
    }

    /** One user's 4 connections, joined to {@code room}. */
    private static List<RawWebSocket> bursters(PackagedApp app, String room) throws Exception {
        List<RawWebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sockets.add(MessageReader.joined(app.base(), room, "burster-" + room, null));
        }
        return sockets;
    }

    /**
     * Each connection sends its whole burst (40 messages of 60 KB) into {@code room}, and reads the other three's 120
     * messages meanwhile, on its own thread.
     */
    private static List<MessageReader> burst(List<RawWebSocket> sockets, String room) throws Exception {
        List<MessageReader> readers = new ArrayList<>();
        for (RawWebSocket publisher : sockets) {
            readers.add(MessageReader.start(publisher, 120));
        }
        for (RawWebSocket publisher : sockets) {
            for (int n = 0; n < 40; n++) {
                publisher.sendText(Frames.publish(room, new JsonObject().put("n", n).put("pad", PAD), "p" + n)
                        .encode());
            }
        }
        return readers;
    }

    private static String since(long start, long at) {
        return at == 0 ? "never (60 s)" : (at - start) / 1_000_000 + " ms";
    }

    private static String post(URI base, String token, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/rooms/replay/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("publish: " + response.statusCode() + " " + response.body());
        }
        return new JsonObject(response.body()).getString("id");
    }

    private static double counter(PackagedApp app, String name) {
        for (String line : app.text("/q/metrics").split("\n")) {
            if (line.startsWith(name)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** CPU time of this load generator and of the server process since {@link #start}, and the wall time. */
    private record Cpu(PackagedApp app, long clientNanos, long serverNanos, long wallNanos) {

        static Cpu start(PackagedApp app) {
            return new Cpu(app, clientCpu(), serverCpu(app), System.nanoTime());
        }

        private static long clientCpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static long serverCpu(PackagedApp app) {
            return app.process().toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        @Override
        public String toString() {
            long wall = Math.max(1, System.nanoTime() - wallNanos);
            long client = clientCpu() - clientNanos;
            long server = serverCpu(app) - serverNanos;
            return String.format("CPU over %d ms: load generator %d ms (%.0f%% of a core), server %d ms", wall / 1_000_000,
                    client / 1_000_000, 100.0 * client / wall, server / 1_000_000);
        }
    }

    private FlowControlBench() {
    }
}
