package io.realtimegateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/**
 * A platform stops an instance with SIGTERM and kills it a few seconds later (Cloud Run: 10 s). Every client must be
 * told to reconnect elsewhere (1001) and the process must exit 0 within the budget.
 */
class SigtermDrainsEveryConnectionWith1001IT {

    private static final Pattern DRAINED = Pattern.compile("Drained (\\d+) connections in (\\d+) ms");

    @Test
    void twoHundredClientsGet1001AndTheProcessExitsZeroWithinTheBudget() {
        try (PackagedApp app = PackagedApp.start("drain", Map.of())) {
            List<WsClient> clients = new ArrayList<>(WsClient.connectAll(app.base(), "/ws/chat",
                    Collections.nCopies(100, Tokens.user("drain-chat"))));
            clients.addAll(WsClient.connectAll(app.base(), "/ws/notifications",
                    Collections.nCopies(100, Tokens.user("drain-tabs"))));
            // A client sees its 101 before the server's @OnOpen has registered it: drain what the server holds.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> app.openConnections() == 200);
            long start = System.nanoTime();
            app.terminate();
            for (WsClient client : clients) {
                assertEquals(1001, client.awaitClose(), "every client is told to reconnect elsewhere");
            }
            assertEquals(0, app.awaitExit(Duration.ofSeconds(10)), app.output());
            long totalMillis = (System.nanoTime() - start) / 1_000_000;
            Matcher drained = DRAINED.matcher(app.output());
            assertTrue(drained.find(), app.output());
            assertEquals(200, Integer.parseInt(drained.group(1)));
            System.out.printf("drain of 200 connections: %s ms; SIGTERM to exit: %d ms%n", drained.group(2),
                    totalMillis);
        }
    }

    @Test
    void whileDrainingReadinessIsDownAndNewUpgradesGet503ThenTheTimeoutEndsIt() throws Exception {
        try (PackagedApp app = PackagedApp.start("drain-stuck", Map.of("gateway.shutdown.drain-timeout", "3s",
                "gateway.drain.spread", "1s"));
                RawWebSocket stuck = RawWebSocket.open(app.base(), "/ws/chat?access_token=" + Tokens.user("deaf")).awaitOpen()) {
            // This client never answers the close handshake, so the drain waits for it until the timeout.
            app.terminate();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> app.status("/q/health/ready") == 503);
            assertEquals(503, WsClient.refused(app.base(), "/ws/chat?access_token=" + Tokens.user("late"),
                    Map.of("Origin", "http://localhost")).getStatus());
            assertEquals(1001, stuck.readFrame().closeCode(), "the stuck client was sent 1001 as well");
            assertEquals(0, app.awaitExit(Duration.ofSeconds(10)), app.output());
            assertTrue(app.output().contains("Drain timeout"), app.output());
        }
    }

    @Test
    void aSecondSigtermWhileDrainingIsHarmless() {
        try (PackagedApp app = PackagedApp.start("drain-twice", Map.of("gateway.shutdown.drain-timeout", "2s",
                "gateway.drain.spread", "1s"));
                RawWebSocket stuck = RawWebSocket.open(app.base(), "/ws/chat?access_token=" + Tokens.user("deaf")).awaitOpen()) {
            app.terminate();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> app.output().contains("draining"));
            app.terminate();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(10)), app.output());
            assertTrue(app.output().contains("already draining"), app.output());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
