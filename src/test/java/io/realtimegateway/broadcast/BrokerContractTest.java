package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.leave;
import static io.realtimegateway.support.Frames.everyByteAnd;
import static io.realtimegateway.support.Frames.publish;
import static io.realtimegateway.support.Frames.publishBytes;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * The promises every {@link Broker} keeps, checked through real WebSocket clients; one subclass per implementation:
 * exactly once to every member but the sender, to every tab of a user, to every chat connection for a broadcast;
 * binary messages with their bytes unchanged; order per publisher, text and binary alike; nothing after leaving.
 */
abstract class BrokerContractTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Broker broker;

    abstract String expectedBroker();

    @Test
    void theConfiguredBrokerIsInUse() {
        assertEquals(expectedBroker(), broker.name());
    }

    @Test
    void roomMessagesReachEveryOtherMemberExactlyOnce() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("ca"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("cb"));
                WsClient c = WsClient.connect(base, "/ws/chat", Tokens.user("cc"))) {
            for (WsClient client : new WsClient[] { a, b, c }) {
                client.request(join("contract", "j"));
            }
            a.request(publish("contract", "once", "p"));
            for (WsClient member : new WsClient[] { b, c }) {
                assertEquals("once", member.next("message").getString("data"));
            }
            b.request(publish("contract", "marker", "m"));
            assertEquals("marker", c.next("message").getString("data"), "c got 'once' twice");
            assertEquals("marker", a.next("message").getString("data"), "the sender got its own message");
        }
    }

    @Test
    void oneUsersEveryTabGetsItsNotifications() {
        try (WsClient tab1 = WsClient.connect(base, "/ws/notifications", Tokens.user("tabs"));
                WsClient tab2 = WsClient.connect(base, "/ws/notifications", Tokens.user("tabs"));
                WsClient other = WsClient.connect(base, "/ws/notifications", Tokens.user("nottabs"))) {
            given().auth().oauth2(Tokens.publisher("svc")).contentType("application/json").body("7")
                    .post("/api/v1/users/tabs/notifications").then().statusCode(202);
            assertEquals(7, tab1.next("notification").getInteger("data"));
            assertEquals(7, tab2.next("notification").getInteger("data"));
            assertNull(other.poll(Duration.ofMillis(300)));
        }
    }

    @Test
    void broadcastsReachEveryChatConnection() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("ba"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("bb"))) {
            given().auth().oauth2(Tokens.publisher("ops")).contentType("application/json").body("\"all\"")
                    .post("/api/v1/broadcast").then().statusCode(202);
            assertEquals("all", a.next("message").getString("data"));
            assertEquals("all", b.next("message").getString("data"));
        }
    }

    @Test
    void binaryMessagesReachEveryOtherMemberWithTheirBytesUnchanged() {
        byte[] payload = everyByteAnd(1024);
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("xa"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("xb"));
                WsClient c = WsClient.connect(base, "/ws/chat", Tokens.user("xc"))) {
            for (WsClient client : new WsClient[] { a, b, c }) {
                client.request(join("bytes", "j"));
            }
            a.sendBinary(publishBytes("bytes", "p", payload));
            JsonObject ack = a.next(f -> "p".equals(f.getString("ref")));
            assertEquals("ack", ack.getString("type"), "the ack is a JSON text frame: " + ack);
            assertNull(ack.getBoolean("binary"));
            for (WsClient member : new WsClient[] { b, c }) {
                JsonObject message = member.next("message");
                assertEquals(true, message.getBoolean("binary"), "a binary frame: " + message);
                assertArrayEquals(payload, message.getBinary("payload"));
                assertEquals("bytes", message.getString("room"));
                assertEquals("xa", message.getString("from"));
                assertEquals(ack.getString("id"), message.getString("id"));
                assertEquals(Set.of("type", "room", "id", "from", "ts", "binary", "payload"),
                        message.fieldNames(), "the header's fields");
            }
            b.request(publish("bytes", "marker", "m"));
            assertEquals("marker", a.next("message").getString("data"), "the sender got its own binary message");
        }
    }

    @Test
    void textAndBinaryMessagesOfOnePublisherArriveInOrder() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("ma"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("mb"))) {
            a.request(join("mixed", "1"));
            b.request(join("mixed", "2"));
            for (int i = 0; i < 200; i++) {
                if (i % 2 == 0) {
                    a.send(publish("mixed", i, null));
                } else {
                    a.sendBinary(publishBytes("mixed", null, new byte[] { (byte) i, 0, '\n', (byte) 0xFF }));
                }
            }
            for (int i = 0; i < 200; i++) {
                JsonObject message = b.next("message");
                if (i % 2 == 0) {
                    assertEquals(i, message.getInteger("data"));
                } else {
                    assertArrayEquals(new byte[] { (byte) i, 0, '\n', (byte) 0xFF }, message.getBinary("payload"));
                }
            }
        }
    }

    @Test
    void onePublishersMessagesArriveInOrder() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("oa"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("ob"))) {
            a.request(join("order", "1"));
            b.request(join("order", "2"));
            for (int i = 0; i < 300; i++) {
                a.send(publish("order", i, null));
            }
            for (int i = 0; i < 300; i++) {
                assertEquals(i, b.next("message").getInteger("data"));
            }
        }
    }

    @Test
    void afterLeavingNothingMoreArrives() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("la"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("lb"))) {
            a.request(join("leaving", "1"));
            b.request(join("leaving", "2"));
            b.request(leave("leaving", "3"));
            a.request(publish("leaving", "gone", "4"));
            b.request(join("after", "5"));
            a.request(join("after", "6"));
            a.request(publish("after", "marker", "7"));
            assertEquals("marker", b.next("message").getString("data"));
        }
    }
}
