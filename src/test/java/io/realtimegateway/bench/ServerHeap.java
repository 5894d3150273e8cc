package io.realtimegateway.bench;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.realtimegateway.support.PackagedApp;

/**
 * The heap of a packaged instance under a benchmark: used now (from its Prometheus scrape, on the management port),
 * a full GC on demand, and the peak while sampled every 20 ms by a scheduled task (close to stop it).
 */
final class ServerHeap implements AutoCloseable {

    /** Heap pools in the scrape; its format may end the label set with a comma, depending on the request's Accept. */
    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\",?} ([0-9.E+]+)");

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong peak;

    private ServerHeap(PackagedApp app) {
        peak = new AtomicLong(used(app));
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(used(app), Math::max), 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Starts sampling {@code app}'s heap. */
    static ServerHeap sample(PackagedApp app) {
        return new ServerHeap(app);
    }

    /** The most heap seen in use so far. */
    long peak() {
        return peak.get();
    }

    /** Heap in use now, in bytes; 0 when the scrape fails. */
    static long used(PackagedApp app) {
        Matcher m = HEAP.matcher(app.text("/q/metrics"));
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** A full GC in the instance ({@code jcmd GC.run}), so that "before" and "after" count live objects only. */
    static void gc(PackagedApp app) throws IOException, InterruptedException {
        new ProcessBuilder("jcmd", Long.toString(app.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
