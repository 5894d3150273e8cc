package io.realtimegateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.realtimegateway.support.PackagedApp;

/**
 * A delay and spread that leave no time for the last closes within {@code gateway.shutdown.drain-timeout} would only
 * show at the next deploy, as clients cut without a close: the start fails instead, naming the keys and their values.
 */
class ADrainThatDoesNotFitItsBudgetStopsTheStartIT {

    @Test
    void aDelayAndSpreadLongerThanTheDrainTimeoutFailTheStart() {
        try (PackagedApp app = PackagedApp.launch("drain-over-budget", PackagedApp.freePort(),
                Map.of("gateway.drain.delay", "3s", "gateway.drain.spread", "5s"))) {
            int exit = app.awaitExit(Duration.ofSeconds(60));
            String output = app.output();
            assertNotEquals(0, exit, output);
            assertTrue(output.contains("gateway.drain.delay (3000ms)"), output);
            assertTrue(output.contains("gateway.drain.spread (5000ms)"), output);
            assertTrue(output.contains("gateway.shutdown.drain-timeout (8000ms)"), output);
        }
    }
}
