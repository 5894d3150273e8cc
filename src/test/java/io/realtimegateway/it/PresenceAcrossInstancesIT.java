package io.realtimegateway.it;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.leave;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.realtimegateway.support.Frames;
import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.RedisTestServer;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Presence across two instances of the packaged application on one real Redis, including an instance that is killed
 * with SIGKILL and so never says goodbye: its members must vanish from presence and be announced as left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PresenceAcrossInstancesIT {

    private static final RedisTestServer REDIS = new RedisTestServer();
    private static final Duration REFRESH = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static PackagedApp a;
    private static PackagedApp b;
    private static String url;

    @BeforeAll
    static void start() {
        url = REDIS.start(false);
        Map<String, String> settings = Map.of("gateway.broker", "redis", "quarkus.redis.hosts", url,
                "gateway.presence.refresh-interval", REFRESH.toMillis() + "ms",
                "gateway.presence.instance-timeout", TIMEOUT.toMillis() + "ms");
        a = PackagedApp.start("presence-a", settings);
        b = PackagedApp.start("presence-b", settings);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        REDIS.stop();
    }

    @Test
    @Order(1)
    void membersOnBothInstancesAreListedOnceAndAnnouncedOnce() {
        try (WsClient watcher = WsClient.connect(b.base(), "/ws/chat", Tokens.user("wil"));
                WsClient onA = WsClient.connect(a.base(), "/ws/chat", Tokens.user("kim"));
                WsClient alsoOnB = WsClient.connect(b.base(), "/ws/chat", Tokens.user("kim"))) {
            watcher.request(join("both", "w").put("presence", true));
            onA.request(join("both", "1"));
            assertEquals(new JsonArray(List.of("kim")), nextDiffAbout(watcher, "kim").getJsonArray("joined"));
            alsoOnB.request(join("both", "2")); // kim's tab on the other instance: no second event
            // Across instances presence is eventually consistent: wait for the view to settle, then check both.
            awaitUsers(a, "both", Set.of("wil", "kim"));
            awaitUsers(b, "both", Set.of("wil", "kim"));

            onA.request(leave("both", "3")); // kim is still in the room on B
            alsoOnB.request(leave("both", "4"));
            JsonObject gone = nextDiffAbout(watcher, "kim");
            assertEquals(new JsonArray(List.of("kim")), gone.getJsonArray("left"), () -> "kim joined twice: " + gone);
            awaitUsers(a, "both", Set.of("wil"));
        }
    }

    @Test
    @Order(2)
    void theMembersOfAKilledInstanceAreAnnouncedAsLeftAndNoLongerListed() throws Exception {
        try (WsClient watcher = WsClient.connect(b.base(), "/ws/chat", Tokens.user("wil"));
                WsClient both = WsClient.connect(b.base(), "/ws/chat", Tokens.user("sam"));
                WsClient doomed = WsClient.connect(a.base(), "/ws/chat", Tokens.user("dot"));
                WsClient doomedTwin = WsClient.connect(a.base(), "/ws/chat", Tokens.user("sam"))) {
            watcher.request(join("crash", "w").put("presence", true));
            both.request(join("crash", "1"));
            doomed.request(join("crash", "2"));
            doomedTwin.request(join("crash", "3"));
            assertEquals(new JsonArray(List.of("dot")), nextDiffAbout(watcher, "dot").getJsonArray("joined"));
            awaitUsers(b, "crash", Set.of("wil", "sam", "dot"));

            long killedAt = System.nanoTime();
            a.process().destroyForcibly(); // SIGKILL: no close frames, no clean-up
            a.process().waitFor();
            JsonObject left = nextDiffAbout(watcher, "dot", "sam");
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            assertEquals(new JsonArray(List.of("dot")), left.getJsonArray("left"),
                    () -> "expected only dot to leave (sam has a tab on B): " + left);
            System.out.printf("presence: a killed instance's member was announced as left after %.2f s "
                    + "(refresh %s, instance timeout %s)%n", seconds, REFRESH, TIMEOUT);
            awaitUsers(b, "crash", Set.of("wil", "sam"));
        }
    }

    @Test
    @Order(3)
    void anInstanceStoppedWithSigtermLeavesPresenceAtOnceInsteadOfTimingOut() throws Exception {
        // A long timeout: only the instance's own clean-up can remove it within the test's bounds.
        Map<String, String> settings = Map.of("gateway.broker", "redis", "quarkus.redis.hosts", url,
                "gateway.presence.refresh-interval", "500ms", "gateway.presence.instance-timeout", "60s",
                "gateway.shutdown.drain-timeout", "2s", "gateway.drain.spread", "500ms");
        try (PackagedApp c = PackagedApp.start("presence-c", settings);
                WsClient watcher = WsClient.connect(b.base(), "/ws/chat", Tokens.user("wil"));
                WsClient onC = WsClient.connect(c.base(), "/ws/chat", Tokens.user("cyd"))) {
            watcher.request(join("stop", "w").put("presence", true));
            onC.request(join("stop", "1"));
            assertEquals(new JsonArray(List.of("cyd")), nextDiffAbout(watcher, "cyd").getJsonArray("joined"));
            assertEquals(2, liveInstances(), "b and c");

            c.terminate();
            assertEquals(0, c.awaitExit(Duration.ofSeconds(30)));
            assertEquals(new JsonArray(List.of("cyd")), nextDiffAbout(watcher, "cyd").getJsonArray("left"));
            awaitUsers(b, "stop", Set.of("wil"));
            assertEquals(1, liveInstances(), "the stopped instance removed itself");
        }
    }

    /** The instances keeping members in room "stop" (live or not yet reaped), asking Redis itself. */
    private static int liveInstances() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            return Redis.createClient(vertx, url)
                    .send(Request.cmd(Command.ZCARD).arg("gateway:presence:{room:stop}:alive"))
                    .toCompletionStage().toCompletableFuture().get().toInteger();
        } finally {
            vertx.close();
        }
    }

    private static void awaitUsers(PackagedApp app, String room, Set<String> expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(expected, restUsers(app, room)));
    }

    private static Set<String> restUsers(PackagedApp app, String room) {
        List<String> users = given().baseUri(app.base().toString()).auth().oauth2(Tokens.publisher("svc"))
                .get("/api/v1/rooms/" + room + "/presence").then().statusCode(200).extract().path("users");
        Set<String> set = new HashSet<>(users);
        assertEquals(users.size(), set.size(), "a user listed twice: " + users);
        return set;
    }

    static JsonObject nextDiffAbout(WsClient client, String... users) {
        return client.next(Frames.presenceDiffAbout(users));
    }
}
