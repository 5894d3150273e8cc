package io.realtimegateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The one reconnect schedule: 100 ms doubling to 5 s, and back to 100 ms after a success. */
class BackoffTest {

    @Test
    void doublesUpToTheCapAndStartsOverAfterAReset() {
        Backoff backoff = new Backoff();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delays.add(backoff.next());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L), delays);
        backoff.reset();
        assertEquals(100L, backoff.next());
    }
}
