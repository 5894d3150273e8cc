package io.realtimegateway.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import redis.embedded.core.ExecutableProvider;

/**
 * A {@code redis-server} of the test's own (the binary inside the {@code embedded-redis} artifact, on a free port),
 * that a fault test can freeze ({@code SIGSTOP}: the socket stays open, nothing answers, as with a hung server or a
 * network that drops packets) and thaw ({@code SIGCONT}). Never the machine's shared Redis.
 */
public final class FreezableRedis implements QuarkusTestResourceLifecycleManager {

    private static Process server;

    @Override
    public Map<String, String> start() {
        int port = PackagedApp.freePort();
        try {
            File binary = ExecutableProvider.newJarResourceProvider().get();
            server = new ProcessBuilder(binary.getAbsolutePath(), "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            }
        });
        return Map.of("gateway.broker", "redis", "quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    /** Stops the server's process without closing its sockets: Redis hangs. */
    public static void freeze() {
        signal("STOP");
    }

    /** Lets a frozen server run again. */
    public static void thaw() {
        signal("CONT");
    }

    private static void signal(String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(server.pid())).inheritIO().start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            thaw();
            server.destroy();
        }
    }
}
