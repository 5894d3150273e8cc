package io.realtimegateway.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The wire bytes every recipient of a frame shares are the bytes Netty's own RFC 6455 encoder makes for a server text
 * frame, at every payload length class (7-bit, 16-bit and 64-bit lengths) and for multi-byte UTF-8, for a binary
 * frame (the echo endpoint's), and for a binary message (header and payload).
 */
class OutboundFrameWireTest {

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 125, 126, 127, 65_535, 65_536, 100_000 })
    void asciiFramesOfEveryLengthClass(int length) {
        String text = "x".repeat(length);
        assertArrayEquals(nettyEncoding(text), OutboundFrame.of(text).wire());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"data\":\"héllo wörld\"}", "✓ 🎉 日本語", "é" })
    void multiByteUtf8(String text) {
        OutboundFrame frame = OutboundFrame.of(text.repeat(40)); // past 125 bytes: the 16-bit length
        assertArrayEquals(nettyEncoding(text.repeat(40)), frame.wire());
    }

    @ParameterizedTest
    @ValueSource(ints = { 10 })
    void encodedOnceAndShared(int ignored) {
        OutboundFrame frame = OutboundFrame.of("{\"type\":\"message\"}");
        assertSame(frame.wire(), frame.wire());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 125, 126, 65_535, 65_536, 100_000 })
    void binaryFramesOfEveryLengthClass(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 31);
        }
        assertArrayEquals(nettyEncoding(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload))),
                OutboundFrame.binary(payload).wire());
    }

    /**
     * A binary message is one binary frame whose content is the header's length in 2 bytes (big-endian), the header
     * in UTF-8 and the payload, at every length class; its wire bytes are made once and shared, and its parts stay
     * readable for a transport that renders them otherwise.
     */
    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 60, 65_000, 100_000 })
    void binaryMessagesOfEveryLengthClass(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 13);
        }
        String header = "{\"type\":\"message\",\"room\":\"x\",\"id\":\"e:1\",\"from\":\"zoë\"}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = Unpooled.buffer().writeShort(headerBytes.length).writeBytes(headerBytes).writeBytes(payload);
        OutboundFrame frame = OutboundFrame.binaryMessage(header, payload);
        assertArrayEquals(nettyEncoding(new BinaryWebSocketFrame(content)), frame.wire());
        assertSame(frame.wire(), frame.wire());
        assertSame(payload, frame.payload(), "the payload is not copied");
        assertEquals(header, frame.header());
        assertNull(frame.text());
        assertEquals(2 + headerBytes.length + length, frame.bytes());
        byte[] wire = frame.wire();
        assertArrayEquals(java.util.Arrays.copyOfRange(wire, wire.length - frame.bytes(), wire.length),
                frame.binaryBody());
    }

    /**
     * On an event stream a binary message is its header's fields and its bytes in base64 as {@code "payload"}, with
     * the message's id as the event's id; a raw binary frame has only the payload.
     */
    @org.junit.jupiter.api.Test
    void binaryMessagesAsEvents() {
        byte[] payload = { (byte) 0x89, 0x50, 0x4e, 0x47 };
        OutboundFrame frame = new IdFrame("{\"type\":\"message\",\"room\":\"x\",\"id\":\"",
                "\",\"from\":\"zoë\",\"ts\":1}", payload).with("e:43");
        assertEquals("e:43", frame.eventId());
        assertEquals("id: e:43\ndata: {\"type\":\"message\",\"room\":\"x\",\"id\":\"e:43\",\"from\":\"zoë\",\"ts\":1,"
                + "\"payload\":\"iVBORw==\"}\n\n", new String(frame.event(), StandardCharsets.UTF_8));
        assertSame(frame.event(), frame.event());
        assertEquals("data: {\"payload\":\"\"}\n\n",
                new String(OutboundFrame.binaryMessage("{ }", new byte[0]).event(), StandardCharsets.UTF_8));
        assertEquals("data: {\"type\":\"binary\",\"payload\":\"iVBORw==\"}\n\n",
                new String(OutboundFrame.binary(payload).event(), StandardCharsets.UTF_8));
        assertEquals("e:7", new IdFrame("{\"id\":\"", "\"}").with("e:7").eventId());
    }

    private static byte[] nettyEncoding(String text) {
        return nettyEncoding(new TextWebSocketFrame(text));
    }

    private static byte[] nettyEncoding(WebSocketFrame frame) {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        channel.writeOutbound(frame);
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            byte[] bytes = ByteBufUtil.getBytes(buf);
            buf.release();
            parts.add(bytes);
            total += bytes.length;
        }
        channel.finishAndReleaseAll();
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
