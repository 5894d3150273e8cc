package io.realtimegateway.api;

import static io.realtimegateway.support.Frames.join;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class PublishApiTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void roomMessageReachesEveryMember() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("a"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("b"))) {
            a.request(join("news", "1"));
            b.request(join("news", "2"));
            String id = given().auth().oauth2(Tokens.publisher("newsroom")).contentType("application/json")
                    .body("{\"headline\":\"extra\"}")
                    .post("/api/v1/rooms/news/messages")
                    .then().statusCode(202).body("id", notNullValue()).extract().path("id");
            for (WsClient c : new WsClient[] { a, b }) {
                JsonObject m = c.next("message");
                assertEquals(id, m.getString("id"));
                assertEquals("newsroom", m.getString("from"));
                assertEquals("extra", m.getJsonObject("data").getString("headline"));
            }
        }
    }

    @Test
    void broadcastReachesEveryChatConnection() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("a"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("b"))) {
            given().auth().oauth2(Tokens.publisher("ops")).contentType("application/json")
                    .body("{\"maintenance\":true}")
                    .post("/api/v1/broadcast").then().statusCode(202);
            for (WsClient c : new WsClient[] { a, b }) {
                JsonObject m = c.next("message");
                assertEquals("*", m.getString("room"));
                assertEquals(true, m.getJsonObject("data").getBoolean("maintenance"));
            }
        }
    }

    @Test
    void dataOverTheMessageSizeLimitIs413AndGoesNowhere() {
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("member"))) {
            member.request(join("big", "1"));
            String before = publishToBig("{\"n\":1}", 202).getString("id");
            String huge = "{\"pad\":\"" + "x".repeat(2_000_000) + "\"}";
            var refused = publishToBig(huge, 413);
            assertEquals("too_large", refused.getString("code"));
            assertTrue(refused.getString("message").contains("65536"), "the error says the limit");
            publishToBig("{\"n\":2}", 202);

            assertEquals(1, member.next("message").getJsonObject("data").getInteger("n"));
            assertEquals(2, member.next("message").getJsonObject("data").getInteger("n"),
                    "members get nothing of the refused message, and stay connected");
            try (WsClient returning = WsClient.connect(base, "/ws/chat", Tokens.user("returning"))) {
                JsonObject ack = returning.request(join("big", "2").put("since", before));
                assertEquals(true, ack.getBoolean("recovered"));
                assertEquals(2, returning.next("message").getJsonObject("data").getInteger("n"),
                        "the refused message is not in the history");
            }
        }
    }

    private JsonPath publishToBig(String body, int status) {
        return given().auth().oauth2(Tokens.publisher("importer")).contentType("application/json").body(body)
                .post("/api/v1/rooms/big/messages").then().statusCode(status).extract().jsonPath();
    }

    @Test
    void badRequestsAreRefusedWithAReason() {
        String token = Tokens.publisher("svc");
        given().auth().oauth2(token).contentType("application/json").body("{}")
                .post("/api/v1/rooms/bad room/messages")
                .then().statusCode(400).body("code", equalTo("invalid_room"));
        given().auth().oauth2(token).contentType("application/json").body("{not json")
                .post("/api/v1/rooms/lobby/messages")
                .then().statusCode(400);
        given().auth().oauth2(token).contentType("application/json")
                .post("/api/v1/broadcast")
                .then().statusCode(400).body("code", equalTo("missing_field"));
    }

    @Test
    void callersNeedAPublisherToken() {
        given().contentType("application/json").body("{}").post("/api/v1/broadcast").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").contentType("application/json").body("{}").post("/api/v1/broadcast")
                .then().statusCode(401);
        given().auth().oauth2(Tokens.user("browser-user")).contentType("application/json").body("{}")
                .post("/api/v1/broadcast").then().statusCode(403);
    }

    @Test
    void seedHealthEndpointAnswersOk() {
        given().get("/health").then().statusCode(200).body("status", equalTo("ok"));
        given().get(management.resolve("/q/health/live")).then().statusCode(200);
        given().get(management.resolve("/q/health/ready")).then().statusCode(200);
    }
}
