package io.realtimegateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.websockets.next.CloseReason;
import io.realtimegateway.message.CloseCodes;

/** The drain's timeline and hints, as arithmetic: batches, their times and sizes, the budget rule, the hint. */
class DrainPlanTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void theDefaultsFitTheDefaultDrainTimeoutWithASecondToSpare() {
        DrainPlan plan = DrainPlan.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(8));
        assertEquals(Duration.ofSeconds(5), plan.spread());
    }

    @Test
    void aDelayAndSpreadThatLeaveLessThanASecondOfTheTimeoutAreRefusedNamingTheKeys() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DrainPlan.of(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(8)));
        String message = refused.getMessage();
        assertTrue(message.contains("gateway.drain.delay (3000ms)"), message);
        assertTrue(message.contains("gateway.drain.spread (5000ms)"), message);
        assertTrue(message.contains("gateway.shutdown.drain-timeout (8000ms)"), message);
        // Exactly on the budget is allowed.
        DrainPlan.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(8));
        assertThrows(IllegalArgumentException.class, () -> DrainPlan.of(SECOND.negated(), SECOND, Duration.ofSeconds(8)));
    }

    @Test
    void batchesRunEvenlyFromTheStartToTheEndOfTheSpreadAfterTheDelay() {
        DrainPlan plan = DrainPlan.of(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(8));
        int batches = plan.batches(300);
        assertEquals(21, batches, "one per 100 ms of spread, plus one");
        assertEquals(500_000_000L, plan.batchAtNanos(0, batches));
        assertEquals(1_500_000_000L, plan.batchAtNanos(10, batches));
        assertEquals(2_500_000_000L, plan.batchAtNanos(20, batches));
        int remaining = 300;
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int batch = 0; batch < batches; batch++) {
            int size = DrainPlan.batchSize(remaining, batch, batches);
            smallest = Math.min(smallest, size);
            largest = Math.max(largest, size);
            remaining -= size;
        }
        assertEquals(0, remaining, "every connection is in a batch");
        assertTrue(largest - smallest <= 1, smallest + ".." + largest);
    }

    @Test
    void fewConnectionsOrNoSpreadMeanFewerBatches() {
        DrainPlan plan = DrainPlan.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(8));
        assertEquals(3, plan.batches(3));
        assertEquals(0, plan.batches(0));
        assertEquals(2_500_000_000L, plan.batchAtNanos(1, 3));
        DrainPlan atOnce = DrainPlan.of(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(8));
        assertEquals(1, atOnce.batches(1000));
        assertEquals(0, atOnce.batchAtNanos(0, 1));
        assertEquals(1000, DrainPlan.batchSize(1000, 0, 1));
    }

    @Test
    void hintsAreUniformFromZeroToTheSpreadAndAtLeastOneSecondWide() {
        DrainPlan plan = DrainPlan.of(Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(8));
        SplittableRandom random = new SplittableRandom(20);
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        for (int i = 0; i < 10_000; i++) {
            long hint = plan.retryAfterMillis(random);
            lowest = Math.min(lowest, hint);
            highest = Math.max(highest, hint);
        }
        assertTrue(lowest >= 0 && lowest < 50, "lowest " + lowest);
        assertTrue(highest <= 2000 && highest > 1950, "highest " + highest);
        assertEquals(1000, DrainPlan.of(Duration.ZERO, Duration.ZERO, SECOND).hintWindowMillis());
    }

    @Test
    void theHintIsJsonThatFitsACloseReasonWhateverItsValue() {
        CloseReason hint = CloseCodes.goingAway(Long.MAX_VALUE);
        assertEquals(1001, hint.getCode());
        assertEquals("{\"retryAfterMs\":" + Long.MAX_VALUE + "}", hint.getMessage());
        assertTrue(hint.getMessage().getBytes(StandardCharsets.UTF_8).length <= 123);
        assertEquals("{\"retryAfterMs\":0}", CloseCodes.goingAway(0).getMessage());
    }
}
