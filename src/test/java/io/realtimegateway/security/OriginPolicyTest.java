package io.realtimegateway.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import io.realtimegateway.upgrade.OriginPolicy;

class OriginPolicyTest {

    private final OriginPolicy policy = new OriginPolicy(
            List.of("https://app.example.com", " https://*.example.org ", "http://localhost:*"));

    @Test
    void exactOriginsMatchOnlyThemselves() {
        assertTrue(policy.allows("https://app.example.com"));
        assertTrue(policy.allows("HTTPS://APP.EXAMPLE.COM"));
        assertFalse(policy.allows("http://app.example.com"), "scheme matters");
        assertFalse(policy.allows("https://app.example.com:8443"), "port matters");
        assertFalse(policy.allows("https://app.example.com.evil.net"));
    }

    @Test
    void wildcardSubdomainsMatchSubdomainsButNotTheApexOrLookalikes() {
        assertTrue(policy.allows("https://a.example.org"));
        assertTrue(policy.allows("https://a.b.example.org"));
        assertFalse(policy.allows("https://example.org"));
        assertFalse(policy.allows("https://evilexample.org"));
        assertFalse(policy.allows("http://a.example.org"));
        assertFalse(policy.allows("https://a.example.org.evil.net"));
        assertFalse(policy.allows("https://a/b.example.org"));
    }

    @Test
    void portWildcardsMatchAnyPort() {
        assertTrue(policy.allows("http://localhost:3000"));
        assertTrue(policy.allows("http://localhost"));
        assertFalse(policy.allows("http://localhost:"));
        assertFalse(policy.allows("http://localhost:80x"));
        assertFalse(policy.allows("http://localhostx:80"));
    }

    @Test
    void nothingIsAllowedByAnEmptyPolicyOrForAnOpaqueOrigin() {
        assertFalse(new OriginPolicy(List.of()).allows("https://app.example.com"));
        assertFalse(policy.allows("null"));
        assertFalse(policy.allows(null));
        assertFalse(policy.allows(""));
    }
}
