package io.realtimegateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;

/** Frames that break RFC 6455, written byte by byte: each ends the connection with the code the RFC asks for. */
@QuarkusTest
class MalformedFramesGetTheirCloseCodesTest {

    @TestHTTPResource("/")
    URI base;

    private RawWebSocket open() throws Exception {
        return RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("raw")).awaitOpen();
    }

    @Test
    void reservedBitsSetIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.writeFrame(0x80 | 0x40 | 0x1, "{}".getBytes(StandardCharsets.UTF_8), true); // RSV1 without extension
            assertEquals(1002, ws.awaitCloseCode());
        }
    }

    @Test
    void unmaskedClientFrameIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.writeFrame(0x81, "{}".getBytes(StandardCharsets.UTF_8), false);
            assertEquals(1002, ws.awaitCloseCode());
        }
    }

    @Test
    void unknownOpcodeIs1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.writeFrame(0x80 | 0x3, new byte[] { 1 }, true);
            assertEquals(1002, ws.awaitCloseCode());
        }
    }

    @Test
    void invalidUtf8InATextFrameIs1007() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.writeFrame(0x81, new byte[] { '"', (byte) 0xC3, (byte) 0x28, '"' }, true);
            assertEquals(1007, ws.awaitCloseCode());
        }
    }

    @Test
    void aFrameOverTheSizeLimitIs1009() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.writeFrame(0x81, new byte[70_000], true);
            assertEquals(1009, ws.awaitCloseCode());
        }
    }
}
