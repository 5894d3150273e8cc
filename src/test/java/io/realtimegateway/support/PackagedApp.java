package io.realtimegateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, or the native executable when
 * {@code ./mvnw verify -Dnative} built one) started as a separate process, as a deployment runs it: production profile, its own port, configured through system properties. For {@code *IT} tests that need
 * several instances, signals or exit codes. The process is killed by {@link #close()} if still running.
 */
public final class PackagedApp implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path TEST_PUBLIC_KEY = Path.of("src", "test", "resources", "test-keys", "publicKey.pem");

    private final Process process;
    private final int port;
    private final Path log;

    private final int managementPort;

    private PackagedApp(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Settings every instance needs in tests: the test key, issuer and a free port. */
    public static Map<String, String> baseSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mp.jwt.verify.publickey.location", TEST_PUBLIC_KEY.toAbsolutePath().toString());
        settings.put("mp.jwt.verify.issuer", "https://realtime-gateway.test");
        settings.put("gateway.allowed-origins", "http://localhost:*,http://127.0.0.1:*");
        // Tests open hundreds of connections from one address and one user within a second.
        settings.put("gateway.upgrade-rate.rate", "100000");
        settings.put("gateway.upgrade-rate.burst", "100000");
        settings.put("gateway.limits.max-connections-per-user", "100000");
        return settings;
    }

    /** Starts an instance on a free port with {@link #baseSettings()} plus {@code settings}, and waits until ready. */
    public static PackagedApp start(String name, Map<String, String> settings) {
        PackagedApp app = launch(name, freePort(), settings);
        app.awaitReady(Duration.ofSeconds(60));
        return app;
    }

    /** Starts an instance on the given port without waiting for anything. */
    public static PackagedApp launch(String name, int port, Map<String, String> settings) {
        return launch(name, port, settings, Path.of(System.getProperty("java.home")), List.of());
    }

    /**
     * Starts an instance with a given JDK and JVM options (for example an AOT cache), without waiting for anything.
     *
     * @param javaHome the JDK or JRE to run it with
     */
    public static PackagedApp launch(String name, int port, Map<String, String> settings, Path javaHome,
            List<String> jvmOptions) {
        if (!Files.exists(JAR) && nativeRunner() == null) {
            throw new IllegalStateException(JAR + " is missing: run the tests with ./mvnw verify");
        }
        Map<String, String> all = baseSettings();
        all.putAll(settings);
        all.put("quarkus.http.port", Integer.toString(port));
        int managementPort = freePort();
        all.put("quarkus.management.port", Integer.toString(managementPort));
        List<String> command = new ArrayList<>();
        Path nativeRunner = nativeRunner();
        if (nativeRunner != null) {
            // ./mvnw verify -Dnative: the same tests against the native executable.
            command.add(nativeRunner.toString());
            all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        } else {
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.addAll(jvmOptions);
            all.forEach((k, v) -> command.add("-D" + k + "=" + v));
            // From the application's directory, as the images run it: a class cache (AppCDS, AOT) is only used with
            // the class path it was recorded with.
            command.add("-jar");
            command.add(JAR.getFileName().toString());
        }
        try {
            Path log = Files.createTempFile("realtime-gateway-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (nativeRunner == null) {
                builder.directory(JAR.getParent().toFile());
            }
            Process process = builder.start();
            return new PackagedApp(process, port, managementPort, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    /** The native executable that failsafe names in {@code native.image.path}, when one was built. */
    private static Path nativeRunner() {
        String path = System.getProperty("native.image.path");
        if (path == null || !Files.isExecutable(Path.of(path))) {
            return null;
        }
        return Path.of(path);
    }

    /** Ports {@link #freePort} handed out in this JVM. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port nothing listens on now, never the same twice in one JVM: the kernel may give a just-closed port again to
     * the next {@code bind(0)}, and a test that asks for an HTTP, a management and a Redis port before anything binds
     * them would then get one port for all three.
     */
    public static int freePort() {
        // The sockets stay bound until a port is found, so the kernel cannot offer the same one again meanwhile.
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < 100; attempt++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
            throw new IllegalStateException("no port not handed out before in 100 attempts");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket that accepted nothing.
                }
            }
        }
    }

    public void awaitReady(Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("instance exited with " + process.exitValue() + ":\n" + output());
            }
            return status("/q/health/ready") == 200;
        });
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    public int status(String path) {
        try {
            HttpURLConnection connection = get(path);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    /** The body of a successful GET as text, or {@code ""} when nothing answers or the status is an error. */
    public String text(String path) {
        try {
            HttpURLConnection connection = get(path);
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return "";
        }
    }

    /** A GET of {@code path}: the operations endpoints ({@code /q/health}, {@code /q/metrics}) on the management port. */
    private HttpURLConnection get(String path) throws IOException {
        URI on = path.startsWith("/q/health") || path.startsWith("/q/metrics") ? managementBase() : base();
        HttpURLConnection connection = (HttpURLConnection) on.resolve(path).toURL().openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(2000);
        return connection;
    }

    /** The sum of {@code gateway_connections_open} over both endpoints, from the Prometheus scrape. */
    public int openConnections() {
        int open = 0;
        for (String line : text("/q/metrics").split("\n")) {
            if (line.startsWith("gateway_connections_open{")) {
                open += (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return open;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** The management interface: {@code /q/health/*} and {@code /q/metrics}, which the public port does not serve. */
    public URI managementBase() {
        return URI.create("http://127.0.0.1:" + managementPort + "/");
    }

    public long pid() {
        return process.pid();
    }

    /** The resident set size of the process in kibibytes, from {@code /proc/PID/status} (Linux). */
    public long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    public Process process() {
        return process;
    }

    /** Sends SIGTERM, as a platform does before it stops an instance. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("instance did not exit within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything the instance printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
