package io.realtimegateway.limits;

import static io.realtimegateway.support.Frames.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/** With the default bound of 1 MiB queued per connection. */
@QuarkusTest
class SlowConsumerIsClosedWith1013Test {

    private static final int MESSAGES = 10_000;

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry meters;

    @Test
    void aClientThatStopsReadingIsClosedWith1013WhileTheOthersGetEverything() {
        String payload = "x".repeat(1000);
        try (WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("pub"));
                WsClient reader = WsClient.connect(base, "/ws/chat", Tokens.user("reader"));
                WsClient slow = WsClient.connectWithSmallReceiveBuffer(base, "/ws/chat", Tokens.user("slow"))) {
            publisher.request(join("firehose", "1"));
            reader.request(join("firehose", "2"));
            slow.request(join("firehose", "3"));
            slow.socket().pause(); // stops reading: TCP fills up, then the server's queue for it
            double before = slowConsumerCloses();

            for (int i = 0; i < MESSAGES; i++) {
                publisher.send(new JsonObject().put("type", "publish").put("room", "firehose")
                        .put("data", new JsonObject().put("n", i).put("pad", payload)).encode());
            }
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals(i, reader.next("message").getJsonObject("data").getInteger("n"),
                        "the reading member must get every message, in order");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> slowConsumerCloses() > before);

            slow.socket().resume();
            assertEquals(1013, slow.awaitClose(), "the slow client learns why it was closed");
            assertFalse(reader.isClosed());
        }
    }

    private double slowConsumerCloses() {
        var counter = meters.find("gateway.slow.consumer.closes").counter();
        return counter == null ? 0 : counter.count();
    }
}
