package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.message.Topic;
import io.realtimegateway.support.AnotherInstance;
import io.realtimegateway.support.ProxiedRedis;
import io.realtimegateway.support.Readiness;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/**
 * The subscriber connection stays open but delivers nothing (a proxy drops what Redis sends it): the liveness probe
 * misses within probe-interval + deadline, readiness goes DOWN with the reason, the connection is replaced and
 * resubscribed, readiness comes back UP; the messages another instance published meanwhile reach the local member
 * from the history (in order, none twice), and live messages flow again.
 */
@QuarkusTest
@TestProfile(ASilentSubscriberIsDetectedAndHealedTest.SilentSubscriber.class)
class ASilentSubscriberIsDetectedAndHealedTest {

    public static class SilentSubscriber implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedRedis.class));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Inject
    MeterRegistry meters;

    private double counter(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theProbeFindsTheSilentSubscriberAndTheGapIsFilledFromTheHistory() {
        Readiness.awaitUp(management);
        try (AnotherInstance far = new AnotherInstance(ProxiedRedis.redisPort(), 100);
                WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("near"));
                WsClient tab = WsClient.connect(base, "/ws/notifications", Tokens.user("near"))) {
            member.request(join("far-room", "1"));
            far.publish("far-room", "before");
            assertEquals("before", member.next("message").getString("data"));
            far.awaitSubscribed(Topic.user("near"));
            far.notify("near", "first-notification");
            assertEquals("first-notification", tab.next("notification").getString("data"));

            double missesBefore = counter("gateway.redis.probe.misses");
            double filledBefore = counter("gateway.redis.gap.filled");
            ProxiedRedis.proxy().muteSubscribers();
            long muted = System.nanoTime();
            for (int i = 1; i <= 3; i++) {
                far.publish("far-room", "while-silent-" + i);
            }
            far.notify("near", "notification-while-silent");
            // DOWN lasts from the miss until a probe comes back on the new connection: poll often.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Readiness.status(management) == 503);
            long downAfter = (System.nanoTime() - muted) / 1_000_000;
            assertTrue(counter("gateway.redis.probe.misses") > missesBefore, "the miss is counted");
            assertTrue(downAfter < 5_000, "readiness went DOWN " + downAfter + " ms after the subscriber went silent");

            for (int i = 1; i <= 3; i++) {
                assertEquals("while-silent-" + i, member.next("message").getString("data"),
                        "the messages lost on the silent connection come from the history, in order");
            }
            assertEquals("notification-while-silent", tab.next("notification").getString("data"),
                    "a user's notification stream is filled too");
            long healed = (System.nanoTime() - muted) / 1_000_000;
            await().atMost(Duration.ofSeconds(15)).until(() -> Readiness.status(management) == 200);
            far.publish("far-room", "after");
            assertEquals("after", member.next("message").getString("data"), "none twice, and live again");
            assertEquals(4, counter("gateway.redis.gap.filled") - filledBefore);
            System.out.printf("silent subscriber: readiness DOWN after %d ms, 3 lost messages and a notification "
                    + "delivered %d ms after the silence began%n", downAfter, healed);
        }
    }
}
