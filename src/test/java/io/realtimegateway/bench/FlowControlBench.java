package io.realtimegateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.realtimegateway.support.Frames;
import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * The outbound path under the production defaults (rates, limits, bounds), on the packaged jar, with readers that are
 * raw sockets read by their own threads. Prints three figures:
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
        List<Reader> readers = new ArrayList<>();
        List<RawWebSocket> publishers = new ArrayList<>();
        List<Reader> publisherReaders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readers.add(Reader.start(joined(app.base(), "bursts", "reader" + i, null), 160));
        }
        for (int i = 0; i < 4; i++) {
            RawWebSocket publisher = joined(app.base(), "bursts", "burster", null);
            publishers.add(publisher);
            publisherReaders.add(Reader.start(publisher, 120)); // it reads the other three's messages meanwhile
        }
        long start = System.nanoTime();
        for (RawWebSocket publisher : publishers) {
            for (int n = 0; n < 40; n++) {
                publisher.sendText(publishFrame("bursts", n));
            }
        }
        int cut = 0;
        long slowest = 0;
        for (Reader reader : readers) {
            Reader.Result result = reader.result();
            cut += result.closeCode() == 1013 ? 1 : 0;
            slowest = Math.max(slowest, result.finishedNanos() - start);
        }
        int publishersCut = 0;
        for (Reader publisher : publisherReaders) {
            publishersCut += publisher.result().closeCode() == 1013 ? 1 : 0;
            publisher.close();
        }
        readers.forEach(Reader::close);
        System.out.printf("bursts 4 x 40 x 60 KB to 10 readers: 1013s among readers %d of 10, among publishers %d of 4;"
                + " every reader had all 160 after %d ms%n", cut, publishersCut, slowest / 1_000_000);
    }

    private static void stoppedReader(PackagedApp app) throws Exception {
        SlowConsumerHeapBench.gc(app);
        long heapBefore = SlowConsumerHeapBench.heap(app.base());
        AtomicLong peak = new AtomicLong(heapBefore);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(SlowConsumerHeapBench.heap(app.base()), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (RawWebSocket sleeper = joined(app.base(), "stall", "sleeper", null)) {
            sleeper.socket().setReceiveBufferSize(8192);
            Reader reader = Reader.start(joined(app.base(), "stall", "awake", null), 160);
            List<RawWebSocket> publishers = new ArrayList<>();
            List<Reader> publisherReaders = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RawWebSocket publisher = joined(app.base(), "stall", "flooder", null);
                publishers.add(publisher);
                publisherReaders.add(Reader.start(publisher, 120));
            }
            double closesBefore = counter(app, "gateway_slow_consumer_closes_total");
            int openBefore = app.openConnections();
            sampler.start();
            long start = System.nanoTime();
            for (RawWebSocket publisher : publishers) {
                for (int n = 0; n < 40; n++) {
                    publisher.sendText(publishFrame("stall", n));
                }
            }
            long closedAt = 0;
            long cutAt = 0;
            long deadline = start + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && cutAt == 0) {
                if (closedAt == 0 && counter(app, "gateway_slow_consumer_closes_total") > closesBefore) {
                    closedAt = System.nanoTime();
                }
                if (closedAt != 0 && app.openConnections() < openBefore) {
                    cutAt = System.nanoTime();
                }
                Thread.sleep(10);
            }
            sampler.interrupt();
            sampler.join();
            Reader.Result awake = reader.result();
            reader.close();
            publisherReaders.forEach(Reader::close);
            System.out.printf("a reader that stops, beside the same bursts: 1013 after %s, TCP cut after %s; server heap"
                    + " %d MiB before, %d MiB at the peak; the member that reads got %d of 160 (close code %d)%n",
                    closedAt == 0 ? "never (60 s)" : (closedAt - start) / 1_000_000 + " ms",
                    cutAt == 0 ? "never" : (cutAt - start) / 1_000_000 + " ms", heapBefore >> 20, peak.get() >> 20,
                    awake.count(), awake.closeCode());
        }
    }

    private static void replay(PackagedApp app) throws Exception {
        String token = Tokens.publisher("importer");
        String since = post(app.base(), token, "{\"n\":-1}");
        for (int n = 0; n < 1000; n++) {
            post(app.base(), token, new JsonObject().put("n", n).put("pad", PAD).encode());
        }
        long start = System.nanoTime();
        try (Reader reader = Reader.start(joined(app.base(), "replay", "returning", since), 1000)) {
            Reader.Result result = reader.result();
            System.out.printf("replay of 1,000 x 60 KB after since: %d of 1000 in %d ms (close code %d)%n",
                    result.count(), (result.finishedNanos() - start) / 1_000_000, result.closeCode());
        }
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

    private static String publishFrame(String room, int n) {
        return Frames.publish(room, new JsonObject().put("n", n).put("pad", PAD), "p" + n).encode();
    }

    private static double counter(PackagedApp app, String name) {
        for (String line : app.text("/q/metrics").split("\n")) {
            if (line.startsWith(name)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** A raw WebSocket joined to {@code room} (with {@code since}, when given), its ack read. */
    static RawWebSocket joined(URI base, String room, String user, String since) throws IOException {
        RawWebSocket ws = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user(user)).awaitOpen();
        JsonObject join = Frames.join(room, "join");
        if (since != null) {
            join.put("since", since);
        }
        ws.sendText(join.encode());
        while (true) {
            RawWebSocket.Frame frame = ws.readFrame();
            if (frame == null) {
                throw new IOException("closed before the join's ack");
            }
            if (frame.opcode() == 0x1 && "ack".equals(new JsonObject(frame.text()).getString("type"))) {
                return ws;
            }
        }
    }

    /** Reads one connection on its own thread, all the time, until it has {@code expected} messages or closed. */
    static final class Reader implements AutoCloseable {

        record Result(int count, int closeCode, long finishedNanos) {
        }

        private final RawWebSocket ws;
        private final CompletableFuture<Result> result = new CompletableFuture<>();

        private Reader(RawWebSocket ws) {
            this.ws = ws;
        }

        static Reader start(RawWebSocket ws, int expected) {
            Reader reader = new Reader(ws);
            Thread thread = new Thread(() -> reader.read(expected), "bench-reader");
            thread.setDaemon(true);
            thread.start();
            return reader;
        }

        private void read(int expected) {
            int count = 0;
            int closeCode = 0;
            try {
                ws.socket().setSoTimeout(60_000);
                while (count < expected) {
                    RawWebSocket.Frame frame = ws.readFrame();
                    if (frame == null || frame.opcode() == 0x8) {
                        closeCode = frame == null ? 1006 : frame.closeCode();
                        break;
                    }
                    if (frame.opcode() == 0x1 && "message".equals(new JsonObject(frame.text()).getString("type"))) {
                        count++;
                    }
                }
            } catch (IOException e) {
                closeCode = 1006;
            }
            result.complete(new Result(count, closeCode, System.nanoTime()));
        }

        Result result() throws Exception {
            return result.get(120, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    private FlowControlBench() {
    }
}
