package io.realtimegateway.limits;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

@QuarkusTest
@TestProfile(InboundRateIsLimitedTest.SlowRate.class)
class InboundRateIsLimitedTest {

    public static class SlowRate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.inbound.rate", "0.5", "gateway.inbound.burst", "5",
                    "gateway.inbound.max-violations", "3");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aFloodIsAnsweredRateLimitedThenClosedWith1008AndOthersAreUnaffected() {
        try (WsClient flood = WsClient.connect(base, "/ws/chat", Tokens.user("flood"));
                WsClient calm = WsClient.connect(base, "/ws/chat", Tokens.user("calm"))) {
            calm.request(join("quiet", "c1"));
            for (int i = 0; i < 5; i++) {
                assertEquals("ack", flood.request(join("r" + i, "ok" + i)).getString("type"), "within the burst");
            }
            flood.send(join("over", "x").encode());
            assertEquals("rate_limited", flood.next("error").getString("code"));
            flood.send(join("over", "y").encode());
            flood.send(join("over", "z").encode());
            assertEquals(1008, flood.awaitClose(), "a client that keeps flooding is closed");

            calm.request(join("quiet2", "c2"));
            assertFalse(calm.isClosed());
            assertEquals("ack", calm.request(publish("quiet", "still fine", "c3")).getString("type"));
        }
    }
}
