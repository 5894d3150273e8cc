package io.realtimegateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.realtimegateway.support.Frames;
import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * The server's heap while one member of a room stops reading and 10,000 messages of 1 KiB are broadcast to the room:
 * with the outbound bound ({@code gateway.outbound.max-queued-bytes}, default 1 MiB) and, for comparison, with the
 * bound lifted to 1 GiB. Prints heap used before, at the peak (sampled every 20 ms from /q/metrics) and after, and how
 * long the reading member took to receive everything. Run after {@code ./mvnw package}:
 * {@code ./mvnw -q exec:java -Dexec.mainClass=io.realtimegateway.bench.SlowConsumerHeapBench}.
 */
public final class SlowConsumerHeapBench {

    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} ([0-9.E+]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        run("1 MiB bound (default)", Map.of("-Xmx", ""));
        run("bound lifted to 1 GiB", Map.of("gateway.outbound.max-queued-bytes", "1073741824"));
        System.exit(0);
    }

    private static void run(String label, Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.remove("-Xmx");
        all.put("gateway.inbound.rate", "1000000");
        all.put("gateway.inbound.burst", "1000000");
        try (PackagedApp app = PackagedApp.start("heap", all);
                WsClient publisher = WsClient.connect(app.base(), "/ws/chat", Tokens.user("pub"));
                WsClient reader = WsClient.connect(app.base(), "/ws/chat", Tokens.user("reader"));
                WsClient slow = WsClient.connectWithSmallReceiveBuffer(app.base(), "/ws/chat", Tokens.user("slow"))) {
            publisher.request(Frames.join("heap", "1"));
            reader.request(Frames.join("heap", "2"));
            slow.request(Frames.join("heap", "3"));
            slow.socket().pause();
            gc(app);
            long before = heap(app.base());
            AtomicLong peak = new AtomicLong(before);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(heap(app.base()), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            long start = System.nanoTime();
            String pad = "x".repeat(1000);
            for (int i = 0; i < 10_000; i++) {
                publisher.send(new JsonObject().put("type", "publish").put("room", "heap")
                        .put("data", new JsonObject().put("n", i).put("pad", pad)).encode());
            }
            for (int i = 0; i < 10_000; i++) {
                reader.next("message");
            }
            long readerMillis = (System.nanoTime() - start) / 1_000_000;
            sampler.interrupt();
            sampler.join();
            gc(app);
            long after = heap(app.base());
            System.out.printf("%-24s heap before %4d MiB, peak %4d MiB, after GC %4d MiB; reader got 10,000 in %d ms; "
                    + "slow client closed: %s%n", label, before >> 20, peak.get() >> 20, after >> 20, readerMillis,
                    slow.isClosed() ? "yes" : "not yet (paused)");
        }
    }

    static void gc(PackagedApp app) throws Exception {
        new ProcessBuilder("jcmd", Long.toString(app.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static long heap(URI base) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = HEAP.matcher(metrics);
            long sum = 0;
            while (m.find()) {
                sum += (long) Double.parseDouble(m.group(1));
            }
            return sum;
        } catch (Exception e) {
            return 0;
        }
    }

    private SlowConsumerHeapBench() {
    }
}
