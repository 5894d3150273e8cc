package io.realtimegateway.history;

import io.realtimegateway.support.RedisCluster;
import io.realtimegateway.support.RequiresRedisCluster;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/** The history contract over a real local Redis Cluster: scripts sent whole, each on the node of its topic's slot. */
@RequiresRedisCluster
class RedisClusterHistoryContractTest extends RedisHistoryContractTest {

    @Override
    Redis connect(Vertx vertx) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        RedisCluster.shared().nodes().forEach(node -> options.addConnectionString("redis://127.0.0.1:" + node.port()));
        return Redis.createClient(vertx, options);
    }
}
