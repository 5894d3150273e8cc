package io.realtimegateway.limits;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.support.MessageReader;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * The outbound path judged by what the socket refuses: readers that read are never cut, whatever the burst; a replay
 * goes as fast as the reader takes it; a reader that stops is closed with 1013 and, as it never completes the close,
 * cut at TCP level within the close timeout. Readers are raw sockets read by their own threads, as real clients are.
 */
@QuarkusTest
class OutboundFlowControlTest {

    /** Just under the 64 KiB message limit once wrapped in a publish frame. */
    private static final String PAD = "x".repeat(60_000);

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry meters;

    @Inject
    ConnectionRegistry registry;

    @Test
    void burstsFromFourConnectionsNeverCutReadersThatRead() throws Exception {
        String room = "burst";
        List<WsClient> publishers = new ArrayList<>();
        List<MessageReader> readers = new ArrayList<>();
        double slowBefore = slowConsumerCloses();
        try {
            for (int i = 0; i < 2; i++) {
                readers.add(MessageReader.start(MessageReader.joined(base, room, "reader" + i, null), 160));
            }
            for (int i = 0; i < 4; i++) {
                WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("burster"));
                publisher.request(join(room, "j"));
                publishers.add(publisher);
            }
            // Each of the user's four connections sends its whole allowed burst (40 messages) at once.
            for (WsClient publisher : publishers) {
                for (int n = 0; n < 40; n++) {
                    publisher.send(publish(room, new JsonObject().put("n", n).put("pad", PAD), "p" + n));
                }
            }
            for (MessageReader reader : readers) {
                MessageReader.Result result = reader.result();
                assertEquals(160, result.numbers().size(), "a reader that reads gets every message; closed with "
                        + result.closeCode());
            }
            for (WsClient publisher : publishers) {
                for (int n = 0; n < 120; n++) {
                    publisher.next("message"); // the other three connections' messages
                }
                assertFalse(publisher.isClosed());
            }
            assertEquals(slowBefore, slowConsumerCloses(), "nobody was closed as a slow consumer");
        } finally {
            publishers.forEach(WsClient::close);
            readers.forEach(MessageReader::close);
        }
    }

    @Test
    void aThousandLargeMessagesAreRecoveredInFullAfterSince() throws Exception {
        String room = "replay";
        String since;
        try (WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("historian"))) {
            publisher.request(join(room, "j"));
            since = publisher.request(publish(room, "before", "p")).getString("id");
            for (int n = 0; n < 999; n++) {
                publisher.send(publish(room, new JsonObject().put("n", n).put("pad", PAD), "p" + n));
            }
            publisher.request(publish(room, new JsonObject().put("n", 999).put("pad", PAD), "last"));
        }
        try (MessageReader reader = MessageReader.start(MessageReader.joined(base, room, "returning", since), 1000)) {
            MessageReader.Result result = reader.result();
            assertEquals(1000, result.numbers().size(), "the whole replay arrives; closed with " + result.closeCode());
            assertEquals(IntStream.range(0, 1000).boxed().toList(), result.numbers(),
                    "oldest first, no gap, no duplicate");
        }
    }

    @Test
    void aReaderThatStopsIsClosedWith1013AndCutWhenItDoesNotCompleteTheClose() throws Exception {
        String room = "stall";
        double slowBefore = slowConsumerCloses();
        try (RawWebSocket stopped = MessageReader.joined(base, room, "sleeper", null);
                WsClient publisher = WsClient.connect(base, "/ws/chat", Tokens.user("flooder"))) {
            publisher.request(join(room, "j"));
            assertEquals(1, registry.connectionsOf("sleeper"));
            // The sleeper never reads again: its receive buffer, then the server's send buffer, fill up.
            for (int n = 0; n < 300; n++) {
                publisher.send(publish(room, new JsonObject().put("n", n).put("pad", PAD), "p" + n));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> slowConsumerCloses() > slowBefore);
            // Its close frame waits behind megabytes it will never read: the close timeout (5 s) cuts it.
            await().atMost(Duration.ofSeconds(15)).until(() -> registry.connectionsOf("sleeper") == 0);
            assertFalse(publisher.isClosed(), "the publisher reads and is not affected");
        }
    }

    @Test
    void aPingFloodFromAClientThatDoesNotReadEndsInAClose() throws Exception {
        double slowBefore = slowConsumerCloses();
        try (RawWebSocket flooder = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("pinger"))
                .awaitOpen()) {
            assertEquals(1, registry.connectionsOf("pinger"));
            byte[] payload = new byte[125]; // the largest control frame; each owes a pong of the same size
            try {
                for (int i = 0; i < 100_000; i++) {
                    flooder.writeFrame(0x89, payload, true);
                }
            } catch (IOException e) {
                // the server cut the connection while the pings were still going out
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.connectionsOf("pinger") == 0);
            assertTrue(slowConsumerCloses() > slowBefore, "the pongs it did not read count as its outbound queue");
        }
    }

    private double slowConsumerCloses() {
        var counter = meters.find("gateway.slow.consumer.closes").counter();
        return counter == null ? 0 : counter.count();
    }
}
