package io.realtimegateway.it;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.RedisTestServer;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WindowedPublishing;
import io.realtimegateway.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/** Two instances of the packaged application as separate processes on one real Redis, as behind a load balancer. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesOverRedisIT {

    private static final RedisKeys KEYS = new RedisKeys("gateway:");
    private static final RedisTestServer REDIS = new RedisTestServer();
    private static PackagedApp a;
    private static PackagedApp b;
    private static String url;

    @BeforeAll
    static void start() {
        url = REDIS.start(false); // its own server: the fault test stops and starts it
        Map<String, String> settings = Map.of("gateway.broker", "redis", "quarkus.redis.hosts", url,
                "gateway.history.max-messages", "5000", // the recovery test publishes a burst from one client:
                "gateway.history.max-replay", "5000", // and replays most of it
                "gateway.inbound.rate", "1000000", "gateway.inbound.burst", "1000000");
        a = PackagedApp.start("redis-a", settings);
        b = PackagedApp.start("redis-b", settings);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        REDIS.stop();
    }

    @Test
    @Order(1)
    void membersOnBothInstancesSeeEachOthersMessagesOnce() {
        try (WsClient onA = WsClient.connect(a.base(), "/ws/chat", Tokens.user("ann"));
                WsClient onB = WsClient.connect(b.base(), "/ws/chat", Tokens.user("ben"));
                WsClient alsoOnA = WsClient.connect(a.base(), "/ws/chat", Tokens.user("cat"))) {
            onA.request(join("across", "1"));
            onB.request(join("across", "2"));
            alsoOnA.request(join("across", "3")); // a join is acknowledged once its room's channel is subscribed
            onA.request(publish("across", "from A", "4"));
            assertEquals("from A", onB.next("message").getString("data"));
            assertEquals("from A", alsoOnA.next("message").getString("data"));
            onB.request(publish("across", "from B", "5"));
            assertEquals("from B", onA.next("message").getString("data"));
            assertEquals("from B", alsoOnA.next("message").getString("data"), "cat got 'from A' twice");
        }
    }

    @Test
    @Order(2)
    void aUserWithTabsOnBothInstancesGetsTheNotificationOnBoth() {
        try (WsClient tabA = WsClient.connect(a.base(), "/ws/notifications", Tokens.user("dee"));
                WsClient tabB = WsClient.connect(b.base(), "/ws/notifications", Tokens.user("dee"))) {
            awaitSubscribers(KEYS.channel(Topic.user("dee")), 2);
            given().baseUri(a.base().toString()).auth().oauth2(Tokens.publisher("svc")).contentType("application/json")
                    .body("{\"n\":1}").post("/api/v1/users/dee/notifications").then().statusCode(202);
            assertEquals(1, tabA.next("notification").getJsonObject("data").getInteger("n"));
            assertEquals(1, tabB.next("notification").getJsonObject("data").getInteger("n"));
        }
    }

    @Test
    @Order(3)
    void broadcastAndRestPublishOnAReachClientsOnB() {
        try (WsClient onA = WsClient.connect(a.base(), "/ws/chat", Tokens.user("eve"));
                WsClient onB = WsClient.connect(b.base(), "/ws/chat", Tokens.user("fay"))) {
            onB.request(join("news", "1"));
            awaitSubscribers(KEYS.channel(Topic.ALL), 2);
            given().baseUri(a.base().toString()).auth().oauth2(Tokens.publisher("ops"))
                    .contentType("application/json").body("\"everyone\"").post("/api/v1/broadcast").then()
                    .statusCode(202);
            assertEquals("everyone", onA.next("message").getString("data"));
            assertEquals("everyone", onB.next("message").getString("data"));
            given().baseUri(a.base().toString()).auth().oauth2(Tokens.publisher("ops"))
                    .contentType("application/json").body("\"rest\"").post("/api/v1/rooms/news/messages").then()
                    .statusCode(202);
            assertEquals("rest", onB.next(f -> "news".equals(f.getString("room"))).getString("data"));
        }
    }

    @Test
    @Order(4)
    void aClientRecoversOnTheOtherInstanceWhatItMissedWithNoGapOrDuplicateWhilePublishingGoesOn() throws Exception {
        int total = 2000;
        try (WsClient publisher = WsClient.connect(a.base(), "/ws/chat", Tokens.user("hose"));
                WsClient reader = WsClient.connect(b.base(), "/ws/chat", Tokens.user("reader"))) {
            publisher.request(join("replay", "1"));
            reader.request(join("replay", "2"));
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                    () -> WindowedPublishing.publish(publisher, "replay", total, 100));
            String lastSeen = null;
            int lastValue = 0;
            while (lastValue < 300) {
                JsonObject m = reader.next("message");
                lastSeen = m.getString("id");
                lastValue = m.getInteger("data");
            }
            reader.close();
            // Back on the publisher's instance, which never delivered these messages to this client.
            try (WsClient again = WsClient.connect(a.base(), "/ws/chat", Tokens.user("reader"))) {
                assertEquals(true, again.request(join("replay", "3").put("since", lastSeen)).getBoolean("recovered"));
                publishing.get(60, TimeUnit.SECONDS);
                long previous = StreamId.parse(lastSeen).offset();
                for (int expected = lastValue + 1; expected <= total; expected++) {
                    JsonObject m = again.next("message");
                    long offset = StreamId.parse(m.getString("id")).offset();
                    assertEquals(previous + 1, offset, "gap or duplicate at offset " + offset);
                    assertEquals(expected, m.getInteger("data"));
                    previous = offset;
                }
                assertTrue(again.pending().stream().noneMatch(f -> "message".equals(f.getString("type"))),
                        "a message arrived twice");
            }
        }
    }

    @Test
    @Order(5)
    void theHistoryOutlivesTheInstancesThatWroteIt() {
        String first;
        try (WsClient writer = WsClient.connect(a.base(), "/ws/chat", Tokens.user("scribe"))) {
            writer.request(join("archive", "1"));
            first = writer.request(publish("archive", "one", "2")).getString("id");
            writer.request(publish("archive", "two", "3"));
        }
        try (WsClient late = WsClient.connect(b.base(), "/ws/chat", Tokens.user("late"))) {
            JsonObject ack = late.request(join("archive", "1").put("since", first));
            assertEquals(true, ack.getBoolean("recovered"));
            assertEquals("two", late.next("message").getString("data"));
        }
    }

    @Test
    @Order(6)
    void whileRedisIsDownLocalTrafficFlowsPublishersAreToldAndItAllResumesWhenItIsBack() {
        try (WsClient a1 = WsClient.connect(a.base(), "/ws/chat", Tokens.user("g1"));
                WsClient a2 = WsClient.connect(a.base(), "/ws/chat", Tokens.user("g2"));
                WsClient b1 = WsClient.connect(b.base(), "/ws/chat", Tokens.user("g3"))) {
            for (WsClient c : new WsClient[] { a1, a2, b1 }) {
                c.request(join("outage", "j"));
            }
            REDIS.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> a.status("/q/health/ready") == 503);
            String health = given().baseUri(a.managementBase().toString()).get("/q/health/ready").then().extract().asString();
            assertTrue(health.contains("reason"), health);

            JsonObject answer = a1.request(publish("outage", "local only", "p1"));
            assertEquals("unavailable", answer.getString("code"), "the publisher is told");
            assertEquals("local only", a2.next("message").getString("data"), "local traffic still flows");
            given().baseUri(a.base().toString()).auth().oauth2(Tokens.publisher("svc")).contentType("application/json")
                    .body("1").post("/api/v1/rooms/outage/messages").then().statusCode(503);

            REDIS.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.status("/q/health/ready") == 200
                    && b.status("/q/health/ready") == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonObject ack = a1.request(publish("outage", "back", "p" + System.nanoTime()));
                return "ack".equals(ack.getString("type"));
            });
            assertEquals("back", b1.next(f -> "back".equals(f.getString("data"))).getString("data"),
                    "fan-out across instances resumed without a restart");
        }
    }

    @Test
    @Order(7)
    void anInstanceStartedWhileRedisIsUnreachableStartsNotReadyAndRecovers() {
        RedisTestServer late = new RedisTestServer();
        int port = PackagedApp.freePort();
        try (PackagedApp c = PackagedApp.launch("redis-late", PackagedApp.freePort(),
                Map.of("gateway.broker", "redis", "quarkus.redis.hosts", "redis://127.0.0.1:" + port))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> c.status("/q/health/live") == 200);
            assertEquals(503, c.status("/q/health/ready"), "no Redis yet: not ready");
            late.startOn(port);
            await().atMost(Duration.ofSeconds(30)).until(() -> c.status("/q/health/ready") == 200);
        } finally {
            late.stop();
        }
    }

    /**
     * Channel subscriptions without a join (a user's, everyone's) follow connections asynchronously: wait until
     * {@code instances} subscribers are on the channel, asking Redis itself.
     */
    private static void awaitSubscribers(String channel, int instances) {
        Vertx vertx = Vertx.vertx();
        try {
            Redis client = Redis.createClient(vertx, url);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> client
                    .send(Request.cmd(Command.PUBSUB).arg("NUMSUB").arg(channel)).toCompletionStage()
                    .toCompletableFuture().get().get(1).toInteger() >= instances);
        } finally {
            vertx.close();
        }
    }
}
