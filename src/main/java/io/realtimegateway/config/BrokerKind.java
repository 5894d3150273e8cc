package io.realtimegateway.config;

/** The backends {@code gateway.broker} may name (lower case in configuration: {@code memory}, {@code redis}). */
public enum BrokerKind {
    /** One instance: broker, history and presence in this process's memory. Nothing to install. */
    MEMORY,
    /** Many instances: Redis pub/sub, Redis Streams history and presence in Redis ({@code quarkus.redis.hosts}). */
    REDIS
}
