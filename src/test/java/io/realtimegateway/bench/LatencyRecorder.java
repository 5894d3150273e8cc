package io.realtimegateway.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Latencies in microseconds, counted in 1 µs buckets up to 5 s (larger values go to the last bucket). One recorder
 * per thread; {@link #merge} them at the end. Not thread-safe.
 */
final class LatencyRecorder {

    private static final int MAX_MICROS = 5_000_000;

    private final int[] counts = new int[MAX_MICROS + 1];
    private long total;
    private long max;

    void record(long micros) {
        int bucket = (int) Math.max(0, Math.min(MAX_MICROS, micros));
        counts[bucket]++;
        total++;
        max = Math.max(max, micros);
    }

    long count() {
        return total;
    }

    /** @param q in [0, 1] */
    long percentile(double q) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return MAX_MICROS;
    }

    long max() {
        return max;
    }

    static LatencyRecorder merge(List<LatencyRecorder> parts) {
        LatencyRecorder all = new LatencyRecorder();
        for (LatencyRecorder part : new ArrayList<>(parts)) {
            for (int i = 0; i < part.counts.length; i++) {
                all.counts[i] += part.counts[i];
            }
            all.total += part.total;
            all.max = Math.max(all.max, part.max);
        }
        return all;
    }
}
