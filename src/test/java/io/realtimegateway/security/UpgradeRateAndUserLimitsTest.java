package io.realtimegateway.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.realtimegateway.upgrade.UserSlots;
import io.vertx.core.http.UpgradeRejectedException;

@QuarkusTest
@TestProfile(UpgradeRateAndUserLimitsTest.TightLimits.class)
class UpgradeRateAndUserLimitsTest {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.upgrade-rate.rate", "0.01", "gateway.upgrade-rate.burst", "3",
                    "gateway.trusted-proxies", "127.0.0.1,::1", "gateway.limits.max-connections-per-user", "2");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    ConnectionRegistry registry;

    @Inject
    UserSlots slots;

    private static Map<String, String> from(String client) {
        return Map.of("X-Forwarded-For", client);
    }

    @Test
    void anAddressOverItsUpgradeRateGets429WithRetryAfterAndOthersDoNot() {
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(WsClient.connect(base, "/ws/chat?access_token=" + Tokens.user("burst-" + i),
                        from("198.51.100.1")));
            }
            UpgradeRejectedException refused = WsClient.refused(base,
                    "/ws/chat?access_token=" + Tokens.user("burst-4"), from("198.51.100.1"));
            assertEquals(429, refused.getStatus());
            assertTrue(Long.parseLong(refused.getHeaders().get("Retry-After")) >= 1);
            open.add(WsClient.connect(base, "/ws/chat?access_token=" + Tokens.user("other"), from("198.51.100.2")));
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void oneMoreConnectionThanAUserMayHaveGets429UntilOneCloses() {
        WsClient first = WsClient.connect(base, "/ws/chat?access_token=" + Tokens.user("pat"), from("203.0.113.1"));
        try (WsClient second = WsClient.connect(base, "/ws/notifications?access_token=" + Tokens.user("pat"),
                from("203.0.113.2"))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionsOf("pat") == 2);
            assertEquals(429, WsClient.refused(base, "/ws/chat?access_token=" + Tokens.user("pat"),
                    from("203.0.113.3")).getStatus());
            first.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> slots.held("pat") == 1);
            try (WsClient third = WsClient.connect(base, "/ws/chat?access_token=" + Tokens.user("pat"),
                    from("203.0.113.4"))) {
                assertEquals(false, third.isClosed());
            }
        }
    }

    @Test
    void thirtyConcurrentUpgradesOfOneUserAdmitExactlyTheCap() throws Exception {
        String token = Tokens.user("crowd");
        List<CompletableFuture<WsClient>> attempts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // Each from its own address, so that the upgrade rate per address is not what stops them.
            attempts.add(WsClient.attempt(base, "/ws/chat?access_token=" + token, from("192.0.2." + (i + 1))));
        }
        List<WsClient> admitted = new ArrayList<>();
        int refused = 0;
        for (CompletableFuture<WsClient> attempt : attempts) {
            try {
                admitted.add(attempt.get(10, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof UpgradeRejectedException rejected && rejected.getStatus() == 429,
                        "refused with 429: " + e.getCause());
                refused++;
            }
        }
        try {
            assertEquals(2, admitted.size(), "the cap is 2, whatever the concurrency");
            assertEquals(28, refused);
        } finally {
            admitted.forEach(WsClient::close);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> slots.held("crowd") == 0);
    }
}
