package io.realtimegateway.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.SseClient;
import io.realtimegateway.support.Tokens;

/** An event stream is admitted by the WebSocket upgrade's own checks, with the same statuses. */
@QuarkusTest
class EventStreamAdmissionTest {

    @TestHTTPResource("/")
    URI base;

    private int status(String token, Map<String, String> headers) {
        try (SseClient client = SseClient.attempt(base, "chat", token, "", headers)) {
            return client.status();
        }
    }

    @Test
    void theUpgradeChecksRefuseAStreamWithTheirStatuses() {
        assertEquals(401, status(null, Map.of()), "no token");
        assertEquals(401, status(Tokens.signedByAnotherKey("mallory"), Map.of()), "a forged token");
        assertEquals(403, status(Tokens.withRoles("svc", "publisher"), Map.of()), "a token without role user");
        assertEquals(403, status(Tokens.user("alice"), Map.of("Origin", "https://evil.example")), "a foreign Origin");
        Map<String, String> noOrigin = new HashMap<>();
        noOrigin.put("Origin", null);
        assertEquals(403, status(Tokens.user("alice"), noOrigin), "no Origin and a token in the query");
        Map<String, String> crossSite = new HashMap<>(noOrigin);
        crossSite.put("Sec-Fetch-Site", "cross-site");
        assertEquals(403, status(Tokens.user("alice"), crossSite), "no Origin, from another site");
        assertEquals(406, status(Tokens.user("alice"), Map.of("Accept", "application/json")), "not an event stream");
    }

    @Test
    void aBrowsersSameOriginStreamNeedsNoOriginHeader() {
        // A browser sends no Origin with a same-origin GET (an EventSource of a page the gateway serves).
        Map<String, String> sameOrigin = new HashMap<>();
        sameOrigin.put("Origin", null);
        sameOrigin.put("Sec-Fetch-Site", "same-origin");
        assertEquals(200, status(Tokens.user("alice"), sameOrigin));
    }

    @Test
    void aClientWithoutOriginIsAdmittedWithAnAuthorizationHeader() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/sse/notifications"))
                .header("Authorization", "Bearer " + Tokens.user("cli")).header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofLines());
        try (var lines = response.body()) {
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            String first = lines.filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
            assertEquals(true, first.contains("\"type\":\"session\""), first);
        }
    }
}
