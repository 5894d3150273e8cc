package io.realtimegateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.realtimegateway.support.PackagedApp;

/** The seed's server-error postcondition (EADDRINUSE): a clear line naming the port, a failing exit code. */
class PortInUseIsReportedClearlyIT {

    @Test
    void startingOnABusyPortFailsWithOneClearLineAndANonZeroExitCode() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            int port = busy.getLocalPort();
            try (PackagedApp app = PackagedApp.launch("busy-port", port, Map.of())) {
                int exit = app.awaitExit(Duration.ofSeconds(60));
                String output = app.output();
                assertNotEquals(0, exit, output);
                assertTrue(output.contains("Port " + port + " seems to be in use"), output);
                assertFalse(output.contains("\tat "), "a stack trace wall:\n" + output);
            }
        }
    }
}
