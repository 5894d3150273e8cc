package io.realtimegateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/**
 * Start-up figures of the packaged application (process start to {@code /q/health/ready} answering 200, process start
 * to the first accepted WebSocket, idle RSS), on each JDK given: plain, with the JDK's class-data cache (AppCDS on
 * JDK 17, {@code -XX:SharedArchiveFile}; the ahead-of-time cache on JDK 24+, {@code -XX:AOTCache}, JEP 483/514)
 * recorded by the images' own training run, and with that cache plus the client compiler only.
 * <p>
 * Measures whatever {@code target/quarkus-app} holds: the default fast-jar, or the aot-jar of {@code ./mvnw package
 * -Paot} (the layout whose classes the cache can hold); {@code bench/startup.sh} runs both. By hand:
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.realtimegateway.bench.StartupBench
 * -Dexec.args="/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"}. Prints one line per
 * configuration: median, min and max of 5 runs.
 */
public final class StartupBench {

    private static final int RUNS = 5;
    private static final Path APP_DIR = Path.of("target", "quarkus-app");
    /** Only the client compiler: less compilation competing with start-up, at a cost in peak throughput. */
    private static final List<String> C1_ONLY = List.of("-XX:TieredStopAtLevel=1");

    public static void main(String[] args) throws Exception {
        List<Path> jdks = new ArrayList<>();
        for (String arg : args) {
            jdks.add(Path.of(arg));
        }
        if (jdks.isEmpty()) {
            jdks.add(Path.of(System.getProperty("java.home")));
        }
        System.out.println("packaging: " + packaging());
        System.out.printf("%-28s %-14s %22s %22s %16s%n", "jdk", "cache", "to ready ms (min-max)",
                "to first ws ms (min-max)", "idle RSS MiB");
        for (Path jdk : jdks) {
            int feature = featureVersion(jdk);
            measure(jdk, "none", List.of());
            List<String> cache = train(jdk, feature);
            String cacheName = feature >= 24 ? "AOT" : "AppCDS";
            measure(jdk, cacheName, cache);
            List<String> fastest = new ArrayList<>(cache);
            fastest.addAll(C1_ONLY);
            measure(jdk, cacheName + "+C1", fastest);
        }
        System.exit(0); // the WebSocket client's event loop threads would keep the JVM alive
    }

    /**
     * Records the class-data cache with the training run the images use ({@code src/main/docker/aot-train.sh}), and
     * returns the options that use it.
     */
    private static List<String> train(Path jdk, int feature) throws Exception {
        Path script = Path.of("src", "main", "docker", "aot-train.sh").toAbsolutePath();
        Path log = Files.createTempFile("aot-train-", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(),
                Integer.toString(PackagedApp.freePort())).directory(APP_DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA", jdk.resolve("bin").resolve("java").toString());
        Process training = builder.start();
        if (!training.waitFor(120, TimeUnit.SECONDS) || training.exitValue() != 0) {
            training.destroyForcibly();
            throw new IllegalStateException("the training run failed for " + jdk + ":\n" + Files.readString(log));
        }
        return feature >= 24 ? List.of("-XX:AOTCache=app.aot") : List.of("-XX:SharedArchiveFile=app.jsa");
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
        System.out.printf("%-28s %-14s %22s %22s %16s%n", jdk.getFileName(), cacheName, summary(ready),
                summary(firstSocket), summary(rss));
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

    /** aot-jar (every class on the JVM's class path, {@code ./mvnw package -Paot}) or the default fast-jar. */
    private static String packaging() throws Exception {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(APP_DIR.resolve("quarkus-run.jar").toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            return classPath != null && classPath.contains("lib/main/") ? "aot-jar" : "fast-jar";
        }
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
