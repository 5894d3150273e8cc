package io.realtimegateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;

/**
 * A stopping instance must not send all its clients to the other instances in the same second: after
 * {@code gateway.drain.delay} its closes are spread over {@code gateway.drain.spread}, each 1001 with a reconnect hint
 * {@code {"retryAfterMs":n}}, n from 0 to the spread; meanwhile readiness is DOWN and upgrades get 503, and the process
 * still exits 0 within its budget.
 */
class SigtermSpreadsTheClosesOverTheDrainIT {

    private static final int CONNECTIONS = 300;
    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final Duration SPREAD = Duration.ofSeconds(2);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(8);

    @Test
    void threeHundredClientsAreClosedOverTheSpreadWithHintsAndTheProcessExitsWithinTheBudget() {
        try (PackagedApp app = PackagedApp.start("drain-spread", Map.of("gateway.drain.delay", DELAY.toMillis() + "ms",
                "gateway.drain.spread", SPREAD.toMillis() + "ms", "gateway.shutdown.drain-timeout",
                DRAIN_TIMEOUT.toMillis() + "ms"))) {
            List<WsClient> clients = new ArrayList<>(WsClient.connectAll(app.base(), "/ws/chat",
                    Collections.nCopies(CONNECTIONS / 2, Tokens.user("spread-chat"))));
            clients.addAll(WsClient.connectAll(app.base(), "/ws/notifications",
                    Collections.nCopies(CONNECTIONS / 2, Tokens.user("spread-tabs"))));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> app.openConnections() == CONNECTIONS);

            long sigterm = System.nanoTime();
            app.terminate();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> app.status("/q/health/ready") == 503);
            UpgradeRejectedException late = WsClient.refused(app.base(), "/ws/chat?access_token=" + Tokens.user("late"),
                    Map.of());
            assertEquals(503, late.getStatus());
            assertNotNull(late.getHeaders().get("Retry-After"), "a refused upgrade says when to come back");

            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long lowestHint = Long.MAX_VALUE;
            long highestHint = Long.MIN_VALUE;
            Set<Long> hints = new HashSet<>();
            for (WsClient client : clients) {
                assertEquals(1001, client.awaitClose(), "every client is told to reconnect elsewhere");
                long hint = new JsonObject(client.closeReason()).getLong("retryAfterMs");
                assertTrue(hint >= 0 && hint <= SPREAD.toMillis(), "hint " + hint + " outside [0, spread]");
                hints.add(hint);
                lowestHint = Math.min(lowestHint, hint);
                highestHint = Math.max(highestHint, hint);
                first = Math.min(first, client.closedAtNanos());
                last = Math.max(last, client.closedAtNanos());
            }
            int exit = app.awaitExit(Duration.ofSeconds(15));
            long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;
            long firstMillis = (first - sigterm) / 1_000_000;
            long lastMillis = (last - sigterm) / 1_000_000;
            System.out.printf("drain of %d connections, delay %d ms, spread %d ms: first close %d ms, last close %d ms"
                    + " after SIGTERM (%d ms apart); hints %d..%d ms (%d distinct); exit %d at %d ms%n", CONNECTIONS,
                    DELAY.toMillis(), SPREAD.toMillis(), firstMillis, lastMillis, lastMillis - firstMillis, lowestHint,
                    highestHint, hints.size(), exit, exitMillis);

            assertEquals(0, exit, app.output());
            assertTrue(firstMillis >= DELAY.toMillis(), "nothing is closed during the delay: first at " + firstMillis);
            assertTrue(lastMillis - firstMillis >= SPREAD.toMillis() * 6 / 10,
                    "closes spread over the window, not all at once: " + firstMillis + ".." + lastMillis + " ms");
            assertTrue(lowestHint < SPREAD.toMillis() / 4 && highestHint > SPREAD.toMillis() * 3 / 4
                    && hints.size() > CONNECTIONS / 3, "hints jittered over the window: " + lowestHint + ".."
                            + highestHint + ", " + hints.size() + " distinct");
            // The budget: the drain timeout, then at most one second to cut what is left, then Quarkus stops.
            assertTrue(exitMillis < DRAIN_TIMEOUT.toMillis() + 1000, "exit at " + exitMillis + " ms");
            assertTrue(app.output().contains("Drained " + CONNECTIONS + " connections"), app.output());
        }
    }
}
