package io.realtimegateway.chat;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class BadInputGetsAnErrorAndKeepsTheConnectionTest {

    @TestHTTPResource("/")
    URI base;

    private static final String LONG_ROOM = "r".repeat(129);

    @Test
    void everyBadFrameIsAnsweredWithItsOwnCodeAndTheConnectionStaysUsable() {
        Set<String> codes = new HashSet<>();
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user("mallory"));
                WsClient bystander = WsClient.connect(base, "/ws/chat", Tokens.user("bystander"));
                WsClient peer = WsClient.connect(base, "/ws/chat", Tokens.user("peer"))) {
            bystander.request(join("calm", "b1"));
            peer.request(join("calm", "p1"));

            codes.add(expectError(client, "this is not json", "bad_json"));
            codes.add(expectError(client, "[1,2,3]", "not_object"));
            codes.add(expectError(client, "{\"type\":\"dance\",\"ref\":\"x\"}", "unknown_type"));
            codes.add(expectError(client, "{\"room\":\"lobby\"}", "missing_field"));
            codes.add(expectError(client, "{\"type\":\"join\"}", "missing_field"));
            codes.add(expectError(client, "{\"type\":\"join\",\"room\":42}", "invalid_field"));
            codes.add(expectError(client, "{\"type\":7,\"room\":\"lobby\"}", "invalid_field"));
            codes.add(expectError(client, "{\"type\":\"join\",\"room\":\"lobby\",\"ref\":5}", "invalid_field"));
            codes.add(expectError(client, "{\"type\":\"publish\",\"room\":\"lobby\"}", "missing_field"));
            codes.add(expectError(client, "{\"type\":\"join\",\"room\":\"\"}", "invalid_room"));
            codes.add(expectError(client, join(LONG_ROOM, null).encode(), "invalid_room"));
            codes.add(expectError(client, join("no spaces", null).encode(), "invalid_room"));
            codes.add(expectError(client, join("émoji", null).encode(), "invalid_room"));
            codes.add(expectError(client, publish("lobby", "not joined", null).encode(), "not_member"));
            codes.add(expectError(client, "{\"type\":\"leave\",\"room\":\"lobby\"}", "not_member"));
            client.sendBinary(new byte[] { 1, 2, 3 });
            codes.add(client.next("error").getString("code"));

            assertEquals(Set.of("bad_json", "not_object", "unknown_type", "missing_field", "invalid_field",
                    "invalid_room", "not_member", "bad_binary_frame"), codes);

            // Still open and served, and nobody else noticed.
            assertEquals("ack", client.request(join("calm", "ok")).getString("type"));
            peer.request(publish("calm", "all good", "p2"));
            assertEquals("all good", bystander.next("message").getString("data"));
            assertEquals("all good", client.next("message").getString("data"));
            assertFalse(client.isClosed());
            assertFalse(bystander.pending().stream().anyMatch(f -> "error".equals(f.getString("type"))));
        }
    }

    @Test
    void errorCarriesTheRefOfTheFrameItAnswers() {
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user("ref-user"))) {
            JsonObject error = client.request(publish("lobby", "x", "r-42"));
            assertEquals("error", error.getString("type"));
            assertEquals("not_member", error.getString("code"));
            assertFalse(error.getString("message").isBlank());
        }
    }

    @Test
    void joiningMoreRoomsThanTheMaximumIsRefused() {
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user("collector"))) {
            for (int i = 0; i < 100; i++) {
                client.send(join("room-" + i, null));
            }
            assertEquals("ack", client.request(join("room-0", "again")).getString("type"), "rejoining is harmless");
            JsonObject error = client.request(join("room-100", "one-too-many"));
            assertEquals("too_many_rooms", error.getString("code"));
            assertEquals("ack", client.request(new JsonObject().put("type", "leave").put("room", "room-5")
                    .put("ref", "l")).getString("type"));
            assertEquals("ack", client.request(join("room-100", "now-fits")).getString("type"));
        }
    }

    private static String expectError(WsClient client, String text, String code) {
        client.send(text);
        JsonObject error = client.next("error");
        assertEquals(code, error.getString("code"), "for frame " + text);
        assertFalse(error.getString("message").isBlank());
        return error.getString("code");
    }
}
