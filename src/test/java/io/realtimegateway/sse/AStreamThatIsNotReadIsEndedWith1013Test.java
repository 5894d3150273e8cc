package io.realtimegateway.sse;

import static io.realtimegateway.support.Frames.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.support.SseClient;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * The slow-consumer bound on an event stream: a client that stops reading (a raw socket with a small receive buffer)
 * gets a final {@code {"type":"close","code":1013}} event once it reads again, while a reading member gets every
 * message. With the default bound of 1 MiB queued. Every read is bounded (20 s).
 */
@QuarkusTest
class AStreamThatIsNotReadIsEndedWith1013Test {

    @TestHTTPResource("/")
    URI base;

    @Inject
    ConnectionRegistry registry;

    @Test
    void aClientThatStopsReadingGetsAFinal1013EventWhileTheOthersGetEverything() throws IOException {
        try (WsClient publisher = WsClient.connect(base, "/ws/chat?access_token=" + Tokens.user("firehose-pub"),
                Map.of("Origin", SseClient.ORIGIN));
                SseClient reader = SseClient.open(base, "chat", Tokens.user("reader"));
                Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            String slowToken = Tokens.user("slow");
            slow.getOutputStream().write(("GET /sse/chat?access_token=" + slowToken + " HTTP/1.1\r\nHost: "
                    + base.getHost() + "\r\nOrigin: " + SseClient.ORIGIN + "\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String session = sessionOf(slow.getInputStream());
            assertEquals(202, SseClient.postTo(base, "chat", session, join("firehose", "1").encode(), slowToken,
                    Map.of()));
            reader.request(join("firehose", "1"));
            publisher.request(join("firehose", "1"));

            String pad = "x".repeat(1000);
            int messages = 10_000;
            for (int i = 0; i < messages; i++) {
                publisher.send(new JsonObject().put("type", "publish").put("room", "firehose")
                        .put("data", new JsonObject().put("n", i).put("pad", pad)).encode());
            }
            for (int i = 0; i < messages; i++) {
                assertEquals(i, reader.next("message").getJsonObject("data").getInteger("n"));
            }
            // This stream's own session is found slow and closing (a counter shared with other tests would not say
            // whose).
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                ClientSession held = registry.get(session);
                return held == null || !held.isOpen();
            });
            slow.setSoTimeout((int) Duration.ofSeconds(20).toMillis());

            String rest = readToEnd(slow.getInputStream());
            assertTrue(rest.contains("{\"type\":\"close\",\"code\":1013,\"reason\":\"slow consumer\"}"),
                    "the last event says why: " + rest.substring(Math.max(0, rest.length() - 300)));
            assertFalse(reader.hasEnded());
        }
    }

    /** Reads the response head and the first event, and returns the session id it names. */
    private static String sessionOf(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        String marker = "\"session\":\"";
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the stream ended before its session: " + seen);
            }
            seen.write(b);
            String text = seen.toString(StandardCharsets.UTF_8);
            int at = text.indexOf(marker);
            if (at >= 0 && text.indexOf('"', at + marker.length()) > 0) {
                return text.substring(at + marker.length(), text.indexOf('"', at + marker.length()));
            }
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        String previous = "";
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                all.write(buffer, 0, n);
                // The last chunk with the end of the one before, so that a marker split between reads is seen.
                String chunk = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                if ((previous + chunk).contains("\"code\":1013")) {
                    break;
                }
                previous = chunk.substring(Math.max(0, chunk.length() - 64));
            }
        } catch (IOException cut) {
            // Cut after the close timeout: what came before counts.
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
