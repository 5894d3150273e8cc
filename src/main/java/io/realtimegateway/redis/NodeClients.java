package io.realtimegateway.redis;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * Clients of single Redis Cluster nodes, by endpoint ({@code host:port} as {@code CLUSTER SLOTS} names them), for the
 * connections the cluster client cannot hold: one sharded pub/sub connection per master. Each takes the scheme
 * ({@code redis} or {@code rediss}) and the user and password of the seed URL ({@code quarkus.redis.hosts}'s first
 * entry). Thread-safe; {@link #close()} closes every client made.
 */
public final class NodeClients {

    private final Vertx vertx;
    private final String scheme;
    private final String userInfo;
    private final Map<String, Redis> clients = new ConcurrentHashMap<>();

    /** @param seed a URL of the cluster, for example {@code redis://:secret@10.0.0.1:6379} */
    public NodeClients(Vertx vertx, String seed) {
        this.vertx = vertx;
        URI uri = URI.create(seed);
        this.scheme = uri.getScheme() == null ? "redis" : uri.getScheme();
        this.userInfo = uri.getRawUserInfo();
    }

    /** The client of one node, made at the first call. */
    public Redis client(String endpoint) {
        return clients.computeIfAbsent(endpoint, e -> Redis.createClient(vertx, new RedisOptions()
                .setType(RedisClientType.STANDALONE)
                .setConnectionString(scheme + "://" + (userInfo == null ? "" : userInfo + "@") + e)));
    }

    /** Closes every client made. */
    public void close() {
        clients.values().forEach(Redis::close);
        clients.clear();
    }
}
