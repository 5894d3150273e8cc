package io.realtimegateway.limits;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;

/**
 * Frames that break RFC 6455, written byte by byte: each ends the connection with exactly one close frame carrying the
 * code the RFC asks for (5.5.1: nothing after it), then the TCP connection ends, and the close metric counts that code.
 */
@QuarkusTest
class MalformedFramesGetTheirCloseCodesTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry meters;

    /**
     * The close frame, then end of stream. Vert.x's own close (a second frame, 1000) would hold the TCP connection
     * for its 10 s closing timeout: the read waits at most 3 s for the end.
     */
    private void closesOnceWith(int code, FrameWrite badFrame) throws Exception {
        try (RawWebSocket ws = open()) {
            double before = closed(code);
            badFrame.writeTo(ws);
            closesOnceWith(ws, code, before);
        }
    }

    /** Writes one frame that breaks the RFC. */
    @FunctionalInterface
    private interface FrameWrite {
        void writeTo(RawWebSocket ws) throws IOException;
    }

    private void closesOnceWith(RawWebSocket ws, int code, double before) throws Exception {
        assertEquals(code, ws.awaitCloseCode());
        ws.socket().setSoTimeout(3000);
        RawWebSocket.Frame extra;
        try {
            extra = ws.readFrame();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the TCP connection stayed open after the close frame", e);
        }
        if (extra != null) {
            fail("a frame after the close frame: opcode " + extra.opcode()
                    + (extra.opcode() == 0x8 ? ", close code " + extra.closeCode() : ""));
        }
        await().atMost(Duration.ofSeconds(10)).alias("gateway.connections.closed{code=" + code + "} counted; counts now "
                + closedCounts()).until(() -> closed(code) > before);
    }

    private String closedCounts() {
        return meters.find("gateway.connections.closed").counters().stream()
                .map(c -> c.getId().getTag("code") + "=" + c.count()).toList().toString();
    }

    private double closed(int code) {
        var counter = meters.find("gateway.connections.closed").tag("endpoint", "chat").tag("code", Integer.toString(code))
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private RawWebSocket open() throws Exception {
        return RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("raw")).awaitOpen();
    }

    @Test
    void reservedBitsSetIs1002() throws Exception {
        // RSV1 without an extension that defines it
        closesOnceWith(1002, ws -> ws.writeFrame(0x80 | 0x40 | 0x1, "{}".getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void unmaskedClientFrameIs1002() throws Exception {
        closesOnceWith(1002, ws -> ws.writeFrame(0x81, "{}".getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void unknownOpcodeIs1002() throws Exception {
        closesOnceWith(1002, ws -> ws.writeFrame(0x80 | 0x3, new byte[] { 1 }, true));
    }

    @Test
    void invalidUtf8InATextFrameIs1007() throws Exception {
        closesOnceWith(1007, ws -> ws.writeFrame(0x81, new byte[] { '"', (byte) 0xC3, (byte) 0x28, '"' }, true));
    }

    @Test
    void aFrameOverTheSizeLimitIs1009() throws Exception {
        closesOnceWith(1009, ws -> ws.writeFrame(0x81, new byte[70_000], true));
    }
}
