package io.realtimegateway.notifications;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class EveryTabOfAUserGetsTheNotificationTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void bothTabsOfTheUserGetItAndNobodyElseDoes() {
        try (WsClient tab1 = WsClient.connect(base, "/ws/notifications", Tokens.user("dana"));
                WsClient tab2 = WsClient.connect(base, "/ws/notifications", Tokens.user("dana"));
                WsClient other = WsClient.connect(base, "/ws/notifications", Tokens.user("ed"))) {
            String id = given().auth().oauth2(Tokens.publisher("billing")).contentType("application/json")
                    .body("{\"invoice\":17}")
                    .when().post("/api/v1/users/dana/notifications")
                    .then().statusCode(202).body("id", notNullValue())
                    .extract().path("id");

            for (WsClient tab : new WsClient[] { tab1, tab2 }) {
                JsonObject n = tab.next("notification");
                assertEquals(id, n.getString("id"));
                assertEquals(17, n.getJsonObject("data").getInteger("invoice"));
            }
            assertNull(other.poll(Duration.ofMillis(300)), "another user received dana's notification");
        }
    }

    @Test
    void clientMessagesAreAnsweredWithAnErrorAndTheConnectionStays() {
        try (WsClient tab = WsClient.connect(base, "/ws/notifications", Tokens.user("fay"))) {
            tab.send("{\"type\":\"join\",\"room\":\"x\"}");
            assertEquals("not_supported", tab.next("error").getString("code"));
            tab.sendBinary(new byte[] { 9 });
            assertEquals("not_supported", tab.next("error").getString("code"));

            given().auth().oauth2(Tokens.publisher("svc")).contentType("application/json").body("\"still here\"")
                    .post("/api/v1/users/fay/notifications").then().statusCode(202);
            assertEquals("still here", tab.next("notification").getString("data"));
            assertFalse(tab.isClosed());
        }
    }
}
