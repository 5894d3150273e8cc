package io.realtimegateway.security;

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

/** An operator who verifies ES256 tokens for one audience, with the standard MicroProfile JWT settings only. */
@QuarkusTest
@TestProfile(AudienceAndEs256TokensTest.Es256WithAudience.class)
class AudienceAndEs256TokensTest {

    public static class Es256WithAudience implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.verify.publickey.location", "test-keys/ec-publicKey.pem",
                    "mp.jwt.verify.publickey.algorithm", "ES256",
                    "mp.jwt.verify.audiences", "realtime-gateway");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void es256TokensForTheAudienceAreAcceptedOthersAreInvalid() {
        String es256 = Tokens.es256("ec", "realtime-gateway");
        try (WsClient client = WsClient.connect(base, "/ws/chat", es256)) {
            assertFalse(client.isClosed());
        }
        assertEquals(401, WsClient.refused(base, "/ws/chat?access_token=" + Tokens.es256("no-audience", null), Map.of())
                .getStatus(), "a token without the audience");
        assertEquals(401, WsClient.refused(base, "/ws/chat?access_token=" + Tokens.forAudience("realtime-gateway",
                "rsa"), Map.of()).getStatus(), "an RS256 token where ES256 is configured");
    }
}
