package io.realtimegateway.redis;

/**
 * What a connection learned of the Redis it reached, from {@code INFO server} at connect: the version, and whether it
 * is a Redis Cluster node. Immutable.
 *
 * @param version {@code redis_version}, for example {@code 7.0.15}
 * @param cluster {@code redis_mode:cluster}: keys and sharded channels live on the node that owns their slot
 */
public record RedisServer(String version, boolean cluster) {

    /** Reads the {@code INFO server} reply; an unknown version counts as 0. */
    public static RedisServer parse(String info) {
        String version = "0";
        boolean cluster = false;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                version = line.substring("redis_version:".length()).trim();
            } else if (line.startsWith("redis_mode:")) {
                cluster = line.substring("redis_mode:".length()).trim().equals("cluster");
            }
        }
        return new RedisServer(version, cluster);
    }

    /** Whether the server has sharded pub/sub ({@code SSUBSCRIBE}, {@code SPUBLISH}): Redis 7.0 or newer. */
    public boolean shardedPubSub() {
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) >= 7;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
