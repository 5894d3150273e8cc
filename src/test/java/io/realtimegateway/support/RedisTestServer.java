package io.realtimegateway.support;

import java.io.IOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import redis.embedded.RedisServer;

/**
 * A real Redis server for tests: the one named by the environment variable {@code GATEWAY_TEST_REDIS_URL} (CI points
 * it at the machine's Redis 7), or else a {@code redis-server} started on a free port from the binary inside the
 * {@code com.github.codemonstur:embedded-redis} artifact, so the tests need nothing installed. Never a mock.
 */
public final class RedisTestServer implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;

    private int port;

    /** The URL of a running Redis for this test run: the external one if named, else an embedded one. */
    public String start(boolean allowExternal) {
        String external = System.getenv("GATEWAY_TEST_REDIS_URL");
        if (allowExternal && external != null && !external.isBlank()) {
            return external;
        }
        port = PackagedApp.freePort();
        try {
            server = RedisServer.newRedisServer().port(port).setting("bind 127.0.0.1").setting("save \"\"")
                    .setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded redis-server", e);
        }
        return "redis://127.0.0.1:" + port;
    }

    /** Starts an embedded server on a given port (for a test whose service must start before Redis). */
    public void startOn(int port) {
        this.port = port;
        restart();
    }

    /** Starts the embedded server again on the same port after {@link #stop()} (for fault tests). */
    public void restart() {
        try {
            server = RedisServer.newRedisServer().port(port).setting("bind 127.0.0.1").setting("save \"\"")
                    .setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart the embedded redis-server", e);
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("gateway.broker", "redis", "quarkus.redis.hosts", start(true));
    }

    @Override
    public void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                // stopping a test server: nothing more to do
            }
        }
    }
}
