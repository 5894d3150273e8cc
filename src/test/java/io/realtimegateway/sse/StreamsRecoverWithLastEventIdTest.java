package io.realtimegateway.sse;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.SseClient;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * Recovery across a dropped stream works as on a WebSocket: a one-room stream ({@code ?room=}) comes back with the
 * {@code Last-Event-ID} an {@code EventSource} sends and gets what it missed, then live messages; a stream of many
 * rooms rejoins with {@code since}; a notification stream resumes from {@code Last-Event-ID} too.
 */
@QuarkusTest
class StreamsRecoverWithLastEventIdTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aOneRoomStreamResumesFromItsLastEventId() {
        String token = Tokens.user("resumer");
        String lastSeen;
        try (WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("talker"))) {
            publisher.request(join("resume", "1"));
            try (SseClient first = SseClient.open(base, "chat", token, "room=resume", Map.of())) {
                assertEquals("open", first.next("ack").getString("ref"), "the named room is joined at once");
                publisher.request(publish("resume", new JsonObject().put("n", 0), "p0"));
                lastSeen = first.nextEvent(f -> "message".equals(f.getString("type"))).id();
            }
            List<String> missed = new ArrayList<>();
            for (int n = 1; n <= 5; n++) {
                missed.add(publisher.request(publish("resume", new JsonObject().put("n", n), "p" + n))
                        .getString("id"));
            }
            try (SseClient back = SseClient.open(base, "chat", token, "room=resume",
                    Map.of("Last-Event-ID", lastSeen))) {
                JsonObject ack = back.next("ack");
                assertEquals(true, ack.getBoolean("recovered"), ack.encode());
                for (String id : missed) {
                    SseClient.Event event = back.nextEvent(f -> "message".equals(f.getString("type")));
                    assertEquals(id, event.id(), "missed messages in order, each with its id");
                }
                String live = publisher.request(publish("resume", new JsonObject().put("n", 6), "p6")).getString("id");
                assertEquals(live, back.nextEvent(f -> "message".equals(f.getString("type"))).id());
                assertTrue(back.pending().isEmpty(), "no duplicate: " + back.pending());
            }
        }
    }

    @Test
    void aStreamOfManyRoomsRejoinsWithSince() {
        String token = Tokens.user("multi");
        try (WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("multi-talker"))) {
            publisher.request(join("r1", "1"));
            String since;
            try (SseClient first = SseClient.open(base, "chat", token)) {
                first.request(join("r1", "1"));
                first.request(join("r2", "2"));
                since = publisher.request(publish("r1", "a", "a")).getString("id");
                assertEquals(since, first.next("message").getString("id"));
            }
            String missed = publisher.request(publish("r1", "b", "b")).getString("id");
            try (SseClient back = SseClient.open(base, "chat", token)) {
                JsonObject ack = back.request(join("r1", "1").put("since", since));
                assertEquals(true, ack.getBoolean("recovered"));
                assertEquals(missed, back.next("message").getString("id"));
            }
        }
    }

    @Test
    void aNotificationStreamResumesFromItsLastEventId() {
        String token = Tokens.user("gina");
        String first;
        try (SseClient tab = SseClient.open(base, "notifications", token)) {
            first = notify("gina", 1);
            SseClient.Event event = tab.nextEvent(f -> "notification".equals(f.getString("type")));
            assertEquals(first, event.id());
            assertEquals(1, event.frame().getJsonObject("data").getInteger("n"));
        }
        String second = notify("gina", 2);
        try (SseClient back = SseClient.open(base, "notifications", token, "", Map.of("Last-Event-ID", first))) {
            assertEquals(true, back.next("ack").getBoolean("recovered"));
            assertEquals(second, back.nextEvent(f -> "notification".equals(f.getString("type"))).id());
            assertEquals(202, back.post(new JsonObject().put("type", "ping").put("ref", "1")));
            assertEquals("1", back.next("pong").getString("ref"), "a notification stream takes ping and refresh");
        }
    }

    private static String notify(String user, int n) {
        return given().auth().oauth2(Tokens.publisher("svc")).contentType("application/json")
                .body("{\"n\":" + n + "}").when().post("/api/v1/users/" + user + "/notifications")
                .then().statusCode(202).extract().path("id");
    }
}
