package io.realtimegateway.presence;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.leave;
import static io.realtimegateway.support.Frames.publish;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Frames;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Presence through real clients with the in-memory presence; {@link RedisRoomPresenceTest} runs the same tests with
 * the Redis broker, so with presence kept in a real Redis. Room names are unique per run, because a Redis shared with
 * earlier runs may still hold their members until their instances time out.
 */
@QuarkusTest
class RoomPresenceTest {

    @TestHTTPResource("/")
    URI base;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aUserIsListedOnceWhateverTheTabsAndLeavesWithTheLastOne() {
        String room = "porch-" + run;
        try (WsClient watcher = WsClient.connect(base, "/ws/chat", Tokens.user("wes"));
                WsClient tab1 = WsClient.connect(base, "/ws/chat", Tokens.user("amy"));
                WsClient tab2 = WsClient.connect(base, "/ws/chat", Tokens.user("amy"));
                WsClient cal = WsClient.connect(base, "/ws/chat", Tokens.user("cal"))) {
            assertEquals("ack", watcher.request(join(room, "w").put("presence", true)).getString("type"));
            tab1.request(join(room, "1"));
            assertDiff(nextDiffAbout(watcher, "amy", "cal"), List.of("amy"), List.of());
            tab2.request(join(room, "2")); // amy's second tab: no event
            cal.request(join(room, "3"));
            assertDiff(nextDiffAbout(watcher, "amy", "cal"), List.of("cal"), List.of());
            assertEquals(Set.of("wes", "amy", "cal"), users(watcher.request(query(room, "q1"))));
            assertEquals(Set.of("wes", "amy", "cal"), users(tab1.request(query(room, "q2"))));

            tab1.close(); // amy still has a tab in the room: no event
            cal.request(leave(room, "4"));
            assertDiff(nextDiffAbout(watcher, "amy", "cal"), List.of(), List.of("cal"));
            tab2.close(); // amy's last tab goes without leaving: she is gone too
            assertDiff(nextDiffAbout(watcher, "amy", "cal"), List.of(), List.of("amy"));
            assertEquals(Set.of("wes"), users(watcher.request(query(room, "q3"))));
        }
    }

    @Test
    void presenceEventsGoOnlyToMembersThatAskedForThem() {
        String room = "quiet-" + run;
        try (WsClient plain = WsClient.connect(base, "/ws/chat", Tokens.user("pat"));
                WsClient other = WsClient.connect(base, "/ws/chat", Tokens.user("oli"))) {
            plain.request(join(room, "1"));
            other.request(join(room, "2"));
            other.request(publish(room, "hello", "3"));
            JsonObject first = plain.next(
                    f -> f.getString("type").startsWith("presence") || "message".equals(f.getString("type")));
            assertEquals("message", first.getString("type"), "a member that did not ask got " + first);
            // Joining again with presence: true turns the events on without leaving the room.
            plain.request(join(room, "4").put("presence", true));
            try (WsClient late = WsClient.connect(base, "/ws/chat", Tokens.user("lou"))) {
                late.request(join(room, "5"));
                assertDiff(nextDiffAbout(plain, "lou"), List.of("lou"), List.of());
            }
        }
    }

    @Test
    void onlyMembersMayAskAndBadQueriesAreAnswered() {
        String room = "closed-" + run;
        try (WsClient outsider = WsClient.connect(base, "/ws/chat", Tokens.user("out"))) {
            JsonObject refused = outsider.request(query(room, "1"));
            assertEquals("error", refused.getString("type"));
            assertEquals("not_member", refused.getString("code"));
            assertEquals("invalid_field", outsider.request(join(room, "2").put("presence", "yes")).getString("code"));
            assertEquals("invalid_room", outsider.request(query("", "3")).getString("code"));
            assertEquals("ack", outsider.request(join(room, "4")).getString("type"), "the connection stays usable");
            assertEquals(Set.of("out"), users(outsider.request(query(room, "5"))));
        }
    }

    @Test
    void backEndServicesReadPresenceOverRestWithThePublisherRole() {
        String room = "lobby-" + run;
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("ada"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("bea"))) {
            a.request(join(room, "1"));
            b.request(join(room, "2"));
            given().auth().oauth2(Tokens.publisher("svc")).get("/api/v1/rooms/" + room + "/presence").then()
                    .statusCode(200).body("room", equalTo(room)).body("users", containsInAnyOrder("ada", "bea"));
            given().auth().oauth2(Tokens.publisher("svc")).get("/api/v1/rooms/nobody-" + run + "/presence").then()
                    .statusCode(200).body("users.size()", equalTo(0));
            given().auth().oauth2(Tokens.user("ada")).get("/api/v1/rooms/" + room + "/presence").then()
                    .statusCode(403);
            given().get("/api/v1/rooms/" + room + "/presence").then().statusCode(401);
            given().auth().oauth2(Tokens.publisher("svc")).get("/api/v1/rooms/bad%20room/presence").then()
                    .statusCode(400).body("code", equalTo("invalid_room"));
        }
    }

    static JsonObject query(String room, String ref) {
        return new JsonObject().put("type", "presence").put("room", room).put("ref", ref);
    }

    static Set<String> users(JsonObject answer) {
        assertEquals("presence", answer.getString("type"), () -> "not a presence answer: " + answer);
        Set<String> users = new HashSet<>();
        answer.getJsonArray("users").forEach(u -> users.add((String) u));
        assertEquals(answer.getJsonArray("users").size(), users.size(), "a user listed twice: " + answer);
        return users;
    }

    static JsonObject nextDiffAbout(WsClient client, String... users) {
        return client.next(Frames.presenceDiffAbout(users));
    }

    static void assertDiff(JsonObject diff, List<String> joined, List<String> left) {
        assertEquals(new JsonArray(joined), diff.getJsonArray("joined"), () -> "unexpected " + diff);
        assertEquals(new JsonArray(left), diff.getJsonArray("left"), () -> "unexpected " + diff);
    }
}
