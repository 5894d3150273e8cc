package io.realtimegateway.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/**
 * Start-up figures of the packaged application (process start to {@code /q/health/ready} answering 200, process start
 * to the first accepted WebSocket, idle RSS), on each JDK given, plain and with the JDK's class-data cache: AppCDS on
 * JDK 17 ({@code -XX:SharedArchiveFile}), the ahead-of-time cache on JDK 25 ({@code -XX:AOTCache}, JEP 483/514).
 * <p>
 * Run after {@code ./mvnw package}: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.realtimegateway.bench.StartupBench -Dexec.args="/usr/lib/jvm/java-17-openjdk-amd64
 * /usr/lib/jvm/temurin-25-jdk-amd64"}. Prints one line per configuration: median, min and max of 5 runs.
 */
public final class StartupBench {

    private static final int RUNS = 5;
    private static final Path CACHE_DIR = Path.of("target", "startup-cache");

    public static void main(String[] args) throws Exception {
        List<Path> jdks = new ArrayList<>();
        for (String arg : args) {
            jdks.add(Path.of(arg));
        }
        if (jdks.isEmpty()) {
            jdks.add(Path.of(System.getProperty("java.home")));
        }
        Files.createDirectories(CACHE_DIR);
        System.out.printf("%-28s %-10s %22s %22s %16s%n", "jdk", "cache", "to ready ms (min-max)",
                "to first ws ms (min-max)", "idle RSS MiB");
        for (Path jdk : jdks) {
            int feature = featureVersion(jdk);
            measure(jdk, "none", List.of());
            List<String> cache = train(jdk, feature);
            measure(jdk, feature >= 25 ? "AOT" : "AppCDS", cache);
        }
        System.exit(0); // the WebSocket client's event loop threads would keep the JVM alive
    }

    /** Records the class-data cache of one training run, and returns the options that use it. */
    private static List<String> train(Path jdk, int feature) throws Exception {
        Path file = CACHE_DIR.resolve("app-" + feature + (feature >= 25 ? ".aot" : ".jsa")).toAbsolutePath();
        Files.deleteIfExists(file);
        List<String> record = feature >= 25 ? List.of("-XX:AOTCacheOutput=" + file)
                : List.of("-XX:ArchiveClassesAtExit=" + file);
        try (PackagedApp app = PackagedApp.launch("train", PackagedApp.freePort(), Map.of(), jdk, record)) {
            app.awaitReady(Duration.ofSeconds(60));
            exercise(app.base());
            app.terminate();
            app.awaitExit(Duration.ofSeconds(60));
        }
        if (!Files.exists(file)) {
            throw new IllegalStateException("the training run wrote no cache " + file);
        }
        return feature >= 25 ? List.of("-XX:AOTCache=" + file) : List.of("-XX:SharedArchiveFile=" + file);
    }

    private static void measure(Path jdk, String cacheName, List<String> options) throws Exception {
        List<Long> ready = new ArrayList<>();
        List<Long> firstSocket = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            try (PackagedApp app = PackagedApp.launch("bench", PackagedApp.freePort(), Map.of(), jdk, options)) {
                app.awaitReady(Duration.ofSeconds(60));
                ready.add((System.nanoTime() - start) / 1_000_000);
                try (WsClient client = WsClient.connect(app.base(), "/ws/chat", Tokens.user("bench"))) {
                    firstSocket.add((System.nanoTime() - start) / 1_000_000);
                }
                idle(Duration.ofSeconds(2));
                rss.add(app.rssKib() / 1024);
            }
        }
        System.out.printf("%-28s %-10s %22s %22s %16s%n", jdk.getFileName(), cacheName, summary(ready),
                summary(firstSocket), summary(rss));
    }

    private static void exercise(URI base) {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("a"));
                WsClient b = WsClient.connect(base, "/ws/notifications", Tokens.user("a"))) {
            a.request(io.realtimegateway.support.Frames.join("warm", "1"));
            a.request(io.realtimegateway.support.Frames.publish("warm", "up", "2"));
        }
    }

    private static void idle(Duration duration) throws InterruptedException {
        // A benchmark, not a test: the process is left alone for a moment so that RSS settles.
        Thread.sleep(duration.toMillis());
    }

    private static String summary(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) + " (" + sorted.get(0) + "-" + sorted.get(sorted.size() - 1) + ")";
    }

    private static int featureVersion(Path jdk) throws Exception {
        Path release = jdk.resolve("release");
        for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                return Integer.parseInt(version.split("[.]")[0]);
            }
        }
        throw new IllegalStateException("no JAVA_VERSION in " + release);
    }

    private StartupBench() {
    }
}
