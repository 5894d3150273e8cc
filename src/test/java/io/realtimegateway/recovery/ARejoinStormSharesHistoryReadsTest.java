package io.realtimegateway.recovery;

import static io.realtimegateway.support.Frames.join;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.message.Topic;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.support.ProxiedRedis;
import io.realtimegateway.support.RedisCommandStats;
import io.realtimegateway.support.Readiness;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * A deploy ends an instance and its clients all come back at once, here 50 of them to one room with the same
 * {@code since}: their history reads are merged, counted by Redis itself ({@code XRANGE} calls in
 * {@code INFO commandstats}; only the history's {@code since} script runs it, and Redis counts the commands scripts
 * call), and every one of them still gets the whole replay in order, {@code recovered: true}, then live messages.
 * <p>
 * To make "at once" exact, Redis's replies to the command connections are held back until all 50 connections are in
 * the room, so the first rejoin's read is still in flight when the 49 others come: they may not share it (it may
 * predate them), so they share the next one, which starts when it ends. Two reads, where there were 50.
 */
@QuarkusTest
@TestProfile(ARejoinStormSharesHistoryReadsTest.StormProfile.class)
class ARejoinStormSharesHistoryReadsTest {

    /** A burst of rejoins costs the first one's read and one shared by all the others ({@code SingleFlight}). */
    static final int READS = 2;

    /** Redis behind a proxy that can hold back replies (for up to 10 s); replays of at most 5 messages. */
    public static class StormProfile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedRedis.class,
                    Map.of("gateway.redis.command-timeout", "10s", "gateway.history.max-replay", "5")));
        }
    }

    static final int REJOINERS = 50;

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Inject
    ConnectionRegistry registry;

    /** Publishes through the REST API (no member of the room on this instance) and returns the message's id. */
    static String publish(String room, String json) {
        return given().auth().oauth2(Tokens.publisher("backend")).contentType("application/json").body(json)
                .post("/api/v1/rooms/" + room + "/messages").then().statusCode(202).extract().path("id");
    }

    @Test
    void fiftyRejoinsWithTheSameSinceShareTheirHistoryReads() {
        Readiness.awaitUp(management);
        String seen = publish("storm", "\"seen\"");
        for (int i = 1; i <= 4; i++) {
            publish("storm", "\"missed-" + i + "\"");
        }
        List<WsClient> clients = WsClient.connectAll(base, "/ws/chat",
                IntStream.range(0, REJOINERS).mapToObj(i -> Tokens.user("storm-" + i)).toList());
        try {
            long before = RedisCommandStats.calls(ProxiedRedis.redisPort(), "xrange");
            ProxiedRedis.proxy().holdReplies();
            try {
                for (int i = 0; i < REJOINERS; i++) {
                    clients.get(i).send(join("storm", "back-" + i).put("since", seen));
                }
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> registry.recipients(Topic.room("storm")).size() == REJOINERS);
            } finally {
                ProxiedRedis.proxy().releaseReplies();
            }
            for (int i = 0; i < REJOINERS; i++) {
                WsClient client = clients.get(i);
                JsonObject ack = client.next(f -> "ack".equals(f.getString("type")));
                assertEquals(true, ack.getBoolean("recovered"), ack.encode());
                for (int m = 1; m <= 4; m++) {
                    assertEquals("missed-" + m, client.next("message").getString("data"));
                }
            }
            long reads = RedisCommandStats.calls(ProxiedRedis.redisPort(), "xrange") - before;
            System.out.printf("%d concurrent rejoins with the same since: %d history reads (XRANGE)%n", REJOINERS,
                    reads);
            assertEquals(READS, reads, "history reads for " + REJOINERS + " concurrent rejoins");

            publish("storm", "\"live\"");
            List<String> next = new ArrayList<>();
            for (WsClient client : clients) {
                next.add(client.next("message").getString("data"));
            }
            assertTrue(next.stream().allMatch("live"::equals), next.toString());
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
