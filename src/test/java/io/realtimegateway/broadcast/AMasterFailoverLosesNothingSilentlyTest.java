package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.message.Topic;
import io.realtimegateway.redis.HashSlot;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.support.AnotherInstance;
import io.realtimegateway.support.RedisCluster;
import io.realtimegateway.support.RequiresRedisCluster;
import io.realtimegateway.support.SteadyTraffic;
import io.realtimegateway.support.Readiness;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WithRedisCluster;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * A master of the cluster is killed (SIGKILL) under traffic, after its replica was made to miss its last writes
 * (the replica is told to authenticate to its master as a user that does not exist, then its link is cut: it cannot
 * reconnect, and the master and its clients go on unaware). Readiness goes DOWN
 * while the shard is unreachable and comes back; the room's member, subscribed on the dead master, gets every message
 * whose publish succeeded, each once, after a pause that is measured and printed; and a rejoin with a {@code since}
 * from before the lost writes gets {@code recovered: false}, or exactly the messages after it: never a silent gap nor
 * a duplicate. The killed node is restarted afterwards, and rejoins as a replica.
 */
@QuarkusTest
@TestProfile(WithRedisCluster.class)
@RequiresRedisCluster
class AMasterFailoverLosesNothingSilentlyTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void deliveryResumesAndARejoinFromBeforeIsRecoveredOrToldNot() {
        RedisCluster cluster = RedisCluster.shared();
        String room = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        int master = cluster.masterOf(HashSlot.of(new RedisKeys("gateway:").channel(Topic.room(room))));
        int replica = cluster.replicaOf(master);
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("stays"));
                AnotherInstance far = new AnotherInstance(cluster, 5000)) {
            assertEquals("ack", member.request(join(room, "1")).getString("type"));
            Readiness.awaitUp(management);
            List<JsonObject> received = new ArrayList<>();
            long killedAt;
            long downAt;
            long resumedAt;
            long readyAt;
            String since;
            try (SteadyTraffic traffic = new SteadyTraffic(far, room)) {
                SteadyTraffic.receiveUntil(member, received, () -> received.size() >= 20);
                since = received.get(received.size() - 1).getString("id");

                // The replica misses what comes now.
                ProcessHandle masterProcess = cluster.processOf(master);
                cluster.cli(replica, "CONFIG", "SET", "masteruser", "nobody");
                cluster.cli(replica, "CONFIG", "SET", "masterauth", "wrong");
                cluster.cli(replica, "CLIENT", "KILL", "TYPE", "master");
                long cutAt = System.currentTimeMillis();
                SteadyTraffic.receiveUntil(member, received, () -> traffic.acknowledgedAfter(cutAt) >= 10);
                long replicaHas = Long.parseLong(offset(cluster.cli(replica, "INFO", "replication"),
                        "slave_repl_offset"));
                long masterHas = Long.parseLong(offset(cluster.cli(master, "INFO", "replication"),
                        "master_repl_offset"));
                assertTrue(replicaHas < masterHas, () -> "the replica should have missed the last writes: "
                        + "replica at " + replicaHas + ", master at " + masterHas);
                killedAt = System.currentTimeMillis();
                cluster.kill(masterProcess);

                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Readiness.status(management) != 200);
                downAt = System.currentTimeMillis();
                // Delivery resumes: a message published after the kill arrives.
                SteadyTraffic.receiveUntil(member, received, () -> received.stream().anyMatch(m -> {
                    Long began = traffic.acknowledged().get(m.getString("data"));
                    return began != null && began > killedAt;
                }));
                resumedAt = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Readiness.status(management) == 200);
                readyAt = System.currentTimeMillis();
                traffic.close();
                traffic.assertEveryAcknowledgedArrivedOnce(member, received);
                System.out.printf("failover: readiness DOWN %d ms after the kill, delivery resumed after %d ms, "
                        + "readiness UP after %d ms; %d messages acknowledged, %d delivered%n", downAt - killedAt,
                        resumedAt - killedAt, readyAt - killedAt, traffic.acknowledged().size(), received.size());
            }
            boolean recovered = SteadyTraffic.rejoinGetsEverythingAfterOrIsToldNot(base, room, since, received);
            System.out.printf("failover: rejoin with since %s from before the lost writes: recovered %s%n", since,
                    recovered);
        } finally {
            cluster.cli(replica, "CONFIG", "SET", "masteruser", "");
            cluster.cli(replica, "CONFIG", "SET", "masterauth", "");
            if (!cluster.alive(master)) {
                cluster.restart(master);
            }
            cluster.awaitHealthy(Duration.ofSeconds(60));
        }
    }

    private static String offset(String info, String field) {
        for (String line : info.split("\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + field + " in " + info);
    }
}
