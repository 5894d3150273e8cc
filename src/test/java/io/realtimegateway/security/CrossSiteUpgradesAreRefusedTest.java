package io.realtimegateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/** Cross-site WebSocket hijacking: a foreign page rides on the user's cookie. The Origin check stops it first. */
@QuarkusTest
class CrossSiteUpgradesAreRefusedTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aValidCookieFromAForeignOriginIsRefused() {
        assertEquals(403, WsClient.refused(base, "/ws/chat", Map.of("Origin", "https://evil.example",
                "Cookie", "access_token=" + Tokens.user("victim"))).getStatus());
    }

    @Test
    void theOriginIsCheckedBeforeAuthentication() {
        assertEquals(403, WsClient.refused(base, "/ws/chat", Map.of("Origin", "https://evil.example")).getStatus(),
                "a foreign Origin without a token must be 403, not 401: no token work for cross-site requests");
    }

    @Test
    void withoutOriginOnlyAnAuthorizationHeaderIsAccepted() {
        assertEquals(403, WsClient.refused(base, "/ws/chat?access_token=" + Tokens.user("cli"),
                Map.of("Origin", "")).getStatus(), "a query token without Origin could come from anywhere");
        try (WsClient cli = WsClient.connect(base, "/ws/chat",
                Map.of("Origin", "", "Authorization", "Bearer " + Tokens.user("cli")))) {
            assertFalse(cli.isClosed());
        }
    }

    @Test
    void withoutOriginAnotherAuthorizationHeaderDoesNotWaiveTheCheckForACookieOrQueryToken() {
        assertEquals(403, WsClient.refused(base, "/ws/chat", Map.of("Origin", "", "Cookie",
                "access_token=" + Tokens.user("victim"), "Authorization", "Basic Zm9vOmJhcg==")).getStatus(),
                "the cookie is the token used: Basic credentials do not make it a non-browser request");
        assertEquals(403, WsClient.refused(base, "/ws/chat?access_token=" + Tokens.user("victim"),
                Map.of("Origin", "", "Authorization", "Bearer garbage")).getStatus(),
                "the query token is the one used: a Bearer header beside it does not waive the Origin");
        assertEquals(403, WsClient.refused(base, "/ws/chat", Map.of("Origin", "", "Cookie",
                "access_token=" + Tokens.user("victim"), "Authorization", "Bearer " + Tokens.user("cli")))
                .getStatus(), "the cookie wins over the header, so the Origin is needed");
    }

    @Test
    void allowedOriginsAreAccepted() {
        try (WsClient page = WsClient.connect(base, "/ws/notifications?access_token=" + Tokens.user("page"),
                Map.of("Origin", "http://127.0.0.1:5173"))) {
            assertFalse(page.isClosed());
        }
    }
}
