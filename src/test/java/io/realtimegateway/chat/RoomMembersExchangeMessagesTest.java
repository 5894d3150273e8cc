package io.realtimegateway.chat;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/** Room basics; leaving, ordering and exactly-once are in the broker contract ({@code BrokerContractTest}). */
@QuarkusTest
class RoomMembersExchangeMessagesTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void membersOfARoomSeeEachOthersMessagesButNotTheirOwn() {
        try (WsClient alice = WsClient.connect(base, "/ws/chat", Tokens.user("alice"));
                WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
            assertEquals("ack", alice.request(join("lobby", "j1")).getString("type"));
            assertEquals("ack", bob.request(join("lobby", "j2")).getString("type"));

            JsonObject ack = alice.request(publish("lobby", new JsonObject().put("text", "hi bob"), "p1"));
            assertEquals("ack", ack.getString("type"));
            assertNotNull(ack.getString("id"));

            JsonObject message = bob.next("message");
            assertEquals("lobby", message.getString("room"));
            assertEquals("alice", message.getString("from"));
            assertEquals("hi bob", message.getJsonObject("data").getString("text"));
            assertEquals(ack.getString("id"), message.getString("id"));
            assertTrue(message.getLong("ts") > 0);

            bob.request(publish("lobby", "hi alice", "p2"));
            assertEquals("hi alice", alice.next("message").getString("data"));
            assertNull(alice.poll(Duration.ofMillis(200)), "alice received a frame she did not expect");
        }
    }

    @Test
    void roomsAreIsolated() {
        try (WsClient alice = WsClient.connect(base, "/ws/chat", Tokens.user("alice"));
                WsClient bob = WsClient.connect(base, "/ws/chat", Tokens.user("bob"))) {
            alice.request(join("red", "1"));
            bob.request(join("blue", "2"));
            alice.request(join("blue", "3"));
            alice.request(publish("red", "to red", "4"));
            alice.request(publish("blue", "to blue", "5"));
            assertEquals("to blue", bob.next("message").getString("data"));
        }
    }
}
