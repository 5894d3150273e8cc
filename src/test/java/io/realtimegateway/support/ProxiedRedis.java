package io.realtimegateway.support;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Redis of the test's own ({@link RedisTestServer}) that the gateway reaches through a {@link MutingTcpProxy}, so a
 * test can silence the gateway's subscriber connection while it, and {@link AnotherInstance}, still reach Redis
 * directly on {@link #redisPort()}. The gateway probes its subscriber every second with a 1 s deadline; the test
 * resource's init arguments are further settings.
 */
public final class ProxiedRedis implements QuarkusTestResourceLifecycleManager {

    private static volatile int redisPort;
    private static volatile MutingTcpProxy proxy;
    private final RedisTestServer redis = new RedisTestServer();
    private final Map<String, String> extra = new HashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        extra.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        String url = redis.start(false);
        redisPort = URI.create(url).getPort();
        try {
            proxy = new MutingTcpProxy(redisPort);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> settings = new HashMap<>(Map.of("gateway.broker", "redis",
                "quarkus.redis.hosts", "redis://127.0.0.1:" + proxy.port(),
                "gateway.redis.probe-interval", "1s", "gateway.redis.command-timeout", "1s"));
        settings.putAll(extra);
        return settings;
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (IOException e) {
            // closing a test proxy
        }
        redis.stop();
    }

    /** The Redis port itself, past the proxy. */
    public static int redisPort() {
        return redisPort;
    }

    /** The proxy between the gateway and Redis. */
    public static MutingTcpProxy proxy() {
        return proxy;
    }
}
