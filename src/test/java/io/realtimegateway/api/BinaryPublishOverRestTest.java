package io.realtimegateway.api;

import static io.realtimegateway.support.Frames.everyByteAnd;
import static io.realtimegateway.support.Frames.join;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /api/v1/rooms/{room}/messages} with {@code Content-Type: application/octet-stream}: the body reaches
 * every member unchanged as a binary message, within the same size limit as JSON data (413 over it).
 */
@QuarkusTest
class BinaryPublishOverRestTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void theBodyReachesEveryMemberAsABinaryMessageWithItsBytesUnchanged() {
        byte[] body = everyByteAnd(1024);
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("a"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("b"))) {
            a.request(join("rest-bytes", "1"));
            b.request(join("rest-bytes", "2"));
            String id = publish("rest-bytes", body).statusCode(202).extract().path("id");
            for (WsClient member : new WsClient[] { a, b }) {
                JsonObject message = member.next("message");
                assertEquals(true, message.getBoolean("binary"), "a binary frame: " + message);
                assertEquals(id, message.getString("id"));
                assertEquals("rest-bytes", message.getString("room"));
                assertEquals("thumbnailer", message.getString("from"));
                assertArrayEquals(body, message.getBinary("payload"));
            }
        }
    }

    @Test
    void bytesOverTheMessageSizeLimitAre413AndGoNowhere() {
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("member"))) {
            member.request(join("rest-big", "1"));
            String before = publish("rest-big", new byte[] { 1 }).statusCode(202).extract().path("id");
            publish("rest-big", new byte[65_536]).statusCode(202);
            var refused = publish("rest-big", new byte[65_537]).statusCode(413).extract().jsonPath();
            assertEquals("too_large", refused.getString("code"));
            assertTrue(refused.getString("message").contains("65537 bytes"), refused.getString("message"));
            publish("rest-big", new byte[] { 3 }).statusCode(202);

            assertArrayEquals(new byte[] { 1 }, member.next("message").getBinary("payload"));
            assertEquals(65_536, member.next("message").getBinary("payload").length);
            assertArrayEquals(new byte[] { 3 }, member.next("message").getBinary("payload"),
                    "members get nothing of the refused message");
            try (WsClient returning = WsClient.connect(base, "/ws/chat", Tokens.user("returning"))) {
                assertEquals(true, returning.request(join("rest-big", "2").put("since", before))
                        .getBoolean("recovered"));
                assertEquals(65_536, returning.next("message").getBinary("payload").length);
                assertArrayEquals(new byte[] { 3 }, returning.next("message").getBinary("payload"),
                        "the refused message is not in the history");
            }
        }
    }

    @Test
    void aBadRoomOrACallerWithoutThePublisherRoleIsRefused() {
        publish("bad room", new byte[] { 1 }).statusCode(400).body("code", equalTo("invalid_room"));
        given().auth().oauth2(Tokens.user("browser-user")).contentType("application/octet-stream")
                .body(new byte[] { 1 }).post("/api/v1/rooms/lobby/messages").then().statusCode(403);
        given().contentType("application/octet-stream").body(new byte[] { 1 })
                .post("/api/v1/rooms/lobby/messages").then().statusCode(401);
    }

    private static ValidatableResponse publish(String room, byte[] body) {
        return given().auth().oauth2(Tokens.publisher("thumbnailer")).contentType("application/octet-stream")
                .body(body).post("/api/v1/rooms/" + room + "/messages").then();
    }
}
