package io.realtimegateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import io.realtimegateway.upgrade.ClientAddresses;
import io.realtimegateway.upgrade.IpRange;
import io.realtimegateway.upgrade.UpgradeRateLimiter;

class ClientAddressesTest {

    @Test
    void rangesMatchByPrefix() {
        assertTrue(IpRange.parse("10.0.0.0/8").contains("10.200.3.4"));
        assertFalse(IpRange.parse("10.0.0.0/8").contains("11.0.0.1"));
        assertTrue(IpRange.parse("192.168.1.0/25").contains("192.168.1.127"));
        assertFalse(IpRange.parse("192.168.1.0/25").contains("192.168.1.128"));
        assertTrue(IpRange.parse("127.0.0.1").contains("127.0.0.1"));
        assertTrue(IpRange.parse("2001:db8::/32").contains("2001:db8:1::5"));
        assertFalse(IpRange.parse("2001:db8::/32").contains("10.0.0.1"));
        assertFalse(IpRange.parse("10.0.0.0/8").contains("not-an-ip"));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.0.0.0/33"));
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8"));
        assertEquals("203.0.113.9", addresses.clientOf("10.1.2.3", "203.0.113.9"));
        assertEquals("203.0.113.9", addresses.clientOf("10.1.2.3", "198.51.100.1, 203.0.113.9, 10.9.9.9"),
                "the nearest untrusted hop, read from the right; earlier hops are the client's own claims");
        assertEquals("198.51.100.7", addresses.clientOf("198.51.100.7", "1.2.3.4"), "spoofed by an untrusted peer");
        assertEquals("10.1.2.3", addresses.clientOf("10.1.2.3", null));
        assertEquals("10.1.2.3", addresses.clientOf("10.1.2.3", "10.4.4.4"), "only proxies: the peer it is");
    }

    @Test
    void theRateLimiterKeepsMemoryBounded() {
        UpgradeRateLimiter limiter = new UpgradeRateLimiter(1, 1, 3, 0);
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("198.51.100." + i, 0);
        }
        assertEquals(3, limiter.trackedAddresses(), "addresses beyond the cap share the overflow bucket");
        assertTrue(limiter.tryAcquire("198.51.100.0", 0) > 0, "the second upgrade within a second waits");
        assertEquals(0, limiter.tryAcquire("198.51.100.0", 1_000_000_000L));
        limiter.sweep(10_000_000_000L);
        assertEquals(0, limiter.trackedAddresses(), "idle addresses are forgotten");
    }
}
