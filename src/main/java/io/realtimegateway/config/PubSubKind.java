package io.realtimegateway.config;

/**
 * Which Redis pub/sub carries room, presence and user-stream channels ({@code gateway.redis.pub-sub}, lower case in
 * configuration: {@code auto}, {@code classic}).
 */
public enum PubSubKind {
    /**
     * Sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}) where the server offers it (Redis 7.0 or newer), classic
     * elsewhere. On a Redis Cluster a sharded message stays within the shard that owns its channel's slot.
     */
    AUTO,
    /** Classic pub/sub ({@code SUBSCRIBE}/{@code PUBLISH}) always; on a cluster every message reaches every node. */
    CLASSIC
}
