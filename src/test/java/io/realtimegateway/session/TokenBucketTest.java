package io.realtimegateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import io.realtimegateway.ratelimit.TokenBucket;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstThenTheSteadyRate() {
        TokenBucket bucket = new TokenBucket(10, 5, 0);
        for (int i = 0; i < 5; i++) {
            assertTrue(bucket.tryTake(0), "burst token " + i);
        }
        assertFalse(bucket.tryTake(0));
        assertEquals(SECOND / 10, bucket.nanosUntilToken(0));
        assertFalse(bucket.tryTake(SECOND / 10 - 1));
        assertTrue(bucket.tryTake(SECOND / 10));
        assertFalse(bucket.tryTake(SECOND / 10));
    }

    @Test
    void refillsUpToTheBurstOnly() {
        TokenBucket bucket = new TokenBucket(1000, 3, 0);
        for (int i = 0; i < 3; i++) {
            bucket.tryTake(0);
        }
        long later = 100 * SECOND;
        int taken = 0;
        while (bucket.tryTake(later)) {
            taken++;
        }
        assertEquals(3, taken);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, 0));
    }
}
