package io.realtimegateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.http.UpgradeRejectedException;

@QuarkusTest
class UpgradeRefusalsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void upgradeWithoutTokenIsRejectedWith401() {
        UpgradeRejectedException refused = WsClient.refused(base, "/ws/chat", Map.of());
        assertEquals(401, refused.getStatus());
        assertEquals("Bearer", refused.getHeaders().get("WWW-Authenticate"));
    }

    @Test
    void upgradeWithGarbageTokenIsRejectedAsInvalidToken() {
        UpgradeRejectedException refused = WsClient.refused(base, "/ws/notifications?access_token=garbage", Map.of());
        assertEquals(401, refused.getStatus());
        assertEquals("Bearer error=\"invalid_token\"", refused.getHeaders().get("WWW-Authenticate"));
    }

    @Test
    void upgradeWithExpiredTokenIsRejectedAsInvalidToken() {
        String expired = Tokens.expiringAt("old", Instant.now().minusSeconds(600));
        UpgradeRejectedException refused = WsClient.refused(base, "/ws/chat?access_token=" + expired, Map.of());
        assertEquals(401, refused.getStatus());
        assertEquals("Bearer error=\"invalid_token\"", refused.getHeaders().get("WWW-Authenticate"));
    }

    @Test
    void upgradeWithABadSignatureIsRejectedAsInvalidToken() {
        assertInvalidToken(Tokens.signedByAnotherKey("forger"));
    }

    @Test
    void upgradeWithATokenNotYetValidIsRejectedAsInvalidToken() {
        assertInvalidToken(Tokens.notYetValid("early"));
    }

    @Test
    void upgradeWithATokenOfAnotherIssuerIsRejectedAsInvalidToken() {
        assertInvalidToken(Tokens.fromIssuer("https://someone-else.example", "stranger"));
    }

    private void assertInvalidToken(String token) {
        UpgradeRejectedException refused = WsClient.refused(base, "/ws/chat?access_token=" + token, Map.of());
        assertEquals(401, refused.getStatus());
        assertEquals("Bearer error=\"invalid_token\"", refused.getHeaders().get("WWW-Authenticate"));
    }

    @Test
    void upgradeWithoutUserRoleIsForbidden() {
        String service = Tokens.publisher("svc");
        assertEquals(403, WsClient.refused(base, "/ws/chat?access_token=" + service, Map.of()).getStatus());
    }

    @Test
    void tokenIsAcceptedFromCookieAndFromAuthorizationHeader() {
        try (WsClient cookie = WsClient.connect(base, "/ws/chat",
                Map.of("Cookie", "access_token=" + Tokens.user("cookie-user")));
                WsClient header = WsClient.connect(base, "/ws/chat",
                        Map.of("Authorization", "Bearer " + Tokens.user("header-user")))) {
            assertEquals(false, cookie.isClosed());
            assertEquals(false, header.isClosed());
        }
    }

    @Test
    void unknownWebSocketPathIsNotFound() {
        assertEquals(404, WsClient.refused(base, "/ws/nope?access_token=" + Tokens.user("x"), Map.of()).getStatus());
    }
}
