package io.realtimegateway.bench;

import java.util.Map;

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
            ServerHeap.gc(app);
            long before = ServerHeap.used(app);
            ServerHeap heap = ServerHeap.sample(app);
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
            heap.close();
            ServerHeap.gc(app);
            long after = ServerHeap.used(app);
            System.out.printf("%-24s heap before %4d MiB, peak %4d MiB, after GC %4d MiB; reader got 10,000 in %d ms; "
                    + "slow client closed: %s%n", label, before >> 20, heap.peak() >> 20, after >> 20, readerMillis,
                    slow.isClosed() ? "yes" : "not yet (paused)");
        }
    }

    private SlowConsumerHeapBench() {
    }
}
