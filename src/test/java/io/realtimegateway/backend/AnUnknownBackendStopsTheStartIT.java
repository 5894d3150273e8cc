package io.realtimegateway.backend;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.realtimegateway.support.PackagedApp;

/** {@code gateway.broker} is a typed choice: a name that is not one stops the start, naming the accepted values. */
class AnUnknownBackendStopsTheStartIT {

    @Test
    void aMisspelledBrokerFailsTheStartWithTheAcceptedValues() {
        try (PackagedApp app = PackagedApp.launch("unknown-broker", PackagedApp.freePort(),
                Map.of("gateway.broker", "mongo"))) {
            int exit = app.awaitExit(Duration.ofSeconds(60));
            String output = app.output();
            assertNotEquals(0, exit, output);
            assertTrue(output.contains("gateway.broker"), output);
            assertTrue(output.contains("mongo") && output.contains("memory") && output.contains("redis"), output);
        }
    }

    @Test
    void theBrokerNameIsReadWhateverItsCase() {
        try (PackagedApp app = PackagedApp.launch("upper-case-broker", PackagedApp.freePort(),
                Map.of("gateway.broker", "MEMORY"))) {
            app.awaitReady(Duration.ofSeconds(60));
            assertTrue(app.output().contains("broker memory"), app.output());
        }
    }
}
