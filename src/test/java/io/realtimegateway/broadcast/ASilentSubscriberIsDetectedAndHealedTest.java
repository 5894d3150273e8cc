package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.join;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.TextNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.redis.RedisEnvelope;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.support.MutingTcpProxy;
import io.realtimegateway.support.RedisTestServer;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/**
 * The subscriber connection stays open but delivers nothing (a proxy drops what Redis sends it): the liveness probe
 * misses within probe-interval + deadline, readiness goes DOWN with the reason, the connection is replaced and
 * resubscribed, readiness comes back UP, and a message another instance publishes reaches the local member again.
 */
@QuarkusTest
@TestProfile(ASilentSubscriberIsDetectedAndHealedTest.SilentSubscriber.class)
class ASilentSubscriberIsDetectedAndHealedTest {

    static int redisPort;
    static MutingTcpProxy proxy;

    public static class ProxiedRedis implements QuarkusTestResourceLifecycleManager {
        private final RedisTestServer redis = new RedisTestServer();

        @Override
        public Map<String, String> start() {
            String url = redis.start(false);
            redisPort = URI.create(url).getPort();
            try {
                proxy = new MutingTcpProxy(redisPort);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("gateway.broker", "redis", "quarkus.redis.hosts", "redis://127.0.0.1:" + proxy.port(),
                    "gateway.redis.probe-interval", "1s", "gateway.redis.command-timeout", "1s");
        }

        @Override
        public void stop() {
            try {
                proxy.close();
            } catch (IOException e) {
                // closing a test proxy
            }
            redis.stop();
        }
    }

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

    private int ready() {
        return given().get(management.resolve("/q/health/ready")).statusCode();
    }

    private double misses() {
        var counter = meters.find("gateway.redis.probe.misses").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Publishes on the room's channel straight to Redis, as another instance would. */
    private static void publishFromAnotherInstance(String room, String text) throws IOException {
        String id = "far:" + System.nanoTime();
        Delivery delivery = new Delivery(Topic.room(room), null,
                ServerFrames.message(room, id, "far-user", TextNode.valueOf(text), System.currentTimeMillis()), null);
        String channel = new RedisKeys("gateway:").channel(Topic.room(room));
        String payload = RedisEnvelope.encode("another-instance", delivery);
        StringBuilder command = new StringBuilder("*3\r\n");
        for (String part : new String[] { "PUBLISH", channel, payload }) {
            command.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
                    .append("\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", redisPort); OutputStream out = socket.getOutputStream()) {
            out.write(command.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.getInputStream().read(); // the reply
        }
    }

    @Test
    void theProbeFindsTheSilentSubscriberAndTheReplacementCarriesMessagesAgain() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> ready() == 200);
        try (WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("near"))) {
            member.request(join("far-room", "1"));
            publishFromAnotherInstance("far-room", "before");
            assertEquals("before", member.next("message").getString("data"));

            double missesBefore = misses();
            proxy.muteSubscribers();
            long muted = System.nanoTime();
            // DOWN lasts from the miss until a probe comes back on the new connection: poll often.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> ready() == 503);
            long downAfter = (System.nanoTime() - muted) / 1_000_000;
            assertTrue(misses() > missesBefore, "the miss is counted");
            assertTrue(downAfter < 5_000, "readiness went DOWN " + downAfter + " ms after the subscriber went silent");

            await().atMost(Duration.ofSeconds(15)).until(() -> ready() == 200);
            publishFromAnotherInstance("far-room", "after");
            assertEquals("after", member.next("message").getString("data"),
                    "the new subscriber connection has the room's subscription again");
        }
    }
}
