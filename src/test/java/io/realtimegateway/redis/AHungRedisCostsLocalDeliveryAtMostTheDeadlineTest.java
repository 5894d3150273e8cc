package io.realtimegateway.redis;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.FreezableRedis;
import io.realtimegateway.support.Readiness;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * Redis stopped with SIGSTOP under traffic (it neither answers nor closes): the local members still get a message
 * within the command deadline (1 s), the publisher is told {@code unavailable}, a REST publish is answered 503, and
 * readiness goes DOWN with the reason; after SIGCONT readiness comes back UP, and the history append that Redis runs
 * only then (past its deadline) is dropped: the message is not numbered twice, so a client recovering later does not
 * get it again under another id.
 */
@QuarkusTest
@TestProfile(AHungRedisCostsLocalDeliveryAtMostTheDeadlineTest.HungRedis.class)
class AHungRedisCostsLocalDeliveryAtMostTheDeadlineTest {

    public static class HungRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreezableRedis.class));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void localMembersGetTheMessageWithinTheDeadlineAndReadinessFollows() {
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("local-member"));
                WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("local-publisher"))) {
            member.request(join("stall", "1"));
            publisher.request(join("stall", "2"));
            Readiness.awaitUp(management);
            assertEquals("ack", publisher.request(publish("stall", "before", "p0")).getString("type"));
            JsonObject before = member.next("message");
            assertEquals("before", before.getString("data"));

            FreezableRedis.freeze();
            try {
                long sent = System.nanoTime();
                publisher.send(publish("stall", "during", "p1"));
                JsonObject message = member.next("message");
                long tookMillis = (System.nanoTime() - sent) / 1_000_000;
                assertEquals("during", message.getString("data"));
                assertTrue(tookMillis < 2_500, "local delivery waited " + tookMillis + " ms for a hung Redis");
                JsonObject answer = publisher.next(f -> "p1".equals(f.getString("ref")));
                assertEquals("unavailable", answer.getString("code"), "the publisher learns it reached only here");
                await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Readiness.status(management) == 503);
                long downAfter = (System.nanoTime() - sent) / 1_000_000;
                assertTrue(downAfter < 3_000, "readiness DOWN only " + downAfter + " ms after the publish");

                given().auth().oauth2(Tokens.publisher("svc")).contentType("application/json").body("{\"n\":1}")
                        .post(base.resolve("/api/v1/rooms/stall/messages")).then().statusCode(503);
                String health = given().get(management.resolve("/q/health/ready")).asString();
                assertTrue(health.contains("no reply within"), health);
                FreezableRedis.thaw();
                long thawed = System.nanoTime();
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Readiness.status(management) == 200);
                System.out.printf("hung Redis: local delivery %d ms after the publish, readiness DOWN %d ms after it, "
                        + "UP %d ms after SIGCONT%n", tookMillis, downAfter, (System.nanoTime() - thawed) / 1_000_000);
            } finally {
                FreezableRedis.thaw();
            }
            assertEquals("ack", publisher.request(publish("stall", "after", "p2")).getString("type"));
            // (The REST message of the stall reached the local member too, before this one.)
            assertEquals("after", member.next(f -> "after".equals(f.getString("data"))).getString("data"));

            // The appends of "during" and of the REST publish reached Redis only after their deadline: not kept.
            try (WsClient comeback = WsClient.connect(base, "/ws/chat", Tokens.user("comeback"))) {
                JsonObject ack = comeback.request(join("stall", "c").put("since", before.getString("id")));
                assertEquals(true, ack.getBoolean("recovered"), ack.encode());
                assertEquals("after", comeback.next("message").getString("data"), "late appends were replayed");
            }
        }
    }
}
