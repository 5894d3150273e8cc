package io.realtimegateway.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;

/**
 * {@code /ws/echo} (on in tests) sends every message back unchanged and in order: text and binary, empty, not JSON,
 * large, and fragmented, including a fragmented message whose first fragment is empty (which Vert.x alone loses).
 * Frames are written and read byte by byte on a real socket.
 */
@QuarkusTest
class EchoOfEveryMessageTest {

    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int FIN = 0x80;

    @TestHTTPResource("/")
    URI base;

    private RawWebSocket open() throws Exception {
        return RawWebSocket.open(base, "/ws/echo?access_token=" + Tokens.user("echo"));
    }

    /** Reads the next {@code n} data frames, skipping pings. */
    private static List<RawWebSocket.Frame> read(RawWebSocket ws, int n) throws Exception {
        List<RawWebSocket.Frame> frames = new ArrayList<>();
        while (frames.size() < n) {
            RawWebSocket.Frame frame = ws.readFrame();
            if (frame == null) {
                throw new AssertionError("closed after " + frames.size() + " echoes of " + n);
            }
            if (frame.opcode() == 0x8) {
                throw new AssertionError("closed with " + frame.closeCode() + " after " + frames.size() + " echoes");
            }
            if (frame.opcode() != 0x9) {
                frames.add(frame);
            }
        }
        return frames;
    }

    private static void assertFrame(int opcode, byte[] payload, RawWebSocket.Frame frame) {
        assertEquals(opcode, frame.opcode(), "opcode");
        assertArrayEquals(payload, frame.payload());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void textBinaryEmptyAndNonJsonMessagesComeBackUnchangedInOrder() throws Exception {
        byte[] binary = { 0, 1, 2, (byte) 0xFF, (byte) 0x80, 0x7F };
        byte[] large = new byte[60_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) i;
        }
        try (RawWebSocket ws = open()) {
            ws.sendText("{\"type\":\"ping\"}");
            ws.writeFrame(FIN | BINARY, binary, true);
            ws.sendText("");
            ws.writeFrame(FIN | BINARY, new byte[0], true);
            ws.sendText("not JSON at all: {[ \u00e9\u4e2d\ud83d\ude00");
            ws.writeFrame(FIN | BINARY, large, true);

            List<RawWebSocket.Frame> echoes = read(ws, 6);
            assertFrame(TEXT, utf8("{\"type\":\"ping\"}"), echoes.get(0)); // echoed, not answered with a pong
            assertFrame(BINARY, binary, echoes.get(1));
            assertFrame(TEXT, new byte[0], echoes.get(2));
            assertFrame(BINARY, new byte[0], echoes.get(3));
            assertFrame(TEXT, utf8("not JSON at all: {[ \u00e9\u4e2d\ud83d\ude00"), echoes.get(4));
            assertFrame(BINARY, large, echoes.get(5));
        }
    }

    @Test
    void fragmentedMessagesComeBackWholeEvenWhenTheFirstFragmentIsEmpty() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.writeFrame(TEXT, utf8("frag"), true);
            ws.writeFrame(0x0, utf8("men"), true);
            ws.writeFrame(FIN, utf8("ted"), true);
            // Autobahn 6.1.2: three empty fragments make one empty message
            ws.writeFrame(TEXT, new byte[0], true);
            ws.writeFrame(0x0, new byte[0], true);
            ws.writeFrame(FIN, new byte[0], true);
            // Autobahn 6.1.3: empty, "middle", empty
            ws.writeFrame(TEXT, new byte[0], true);
            ws.writeFrame(0x0, utf8("middle"), true);
            ws.writeFrame(FIN, new byte[0], true);
            // the same for binary, with a ping between the fragments
            ws.writeFrame(BINARY, new byte[0], true);
            ws.writeFrame(FIN | 0x9, utf8("p"), true);
            ws.writeFrame(FIN, new byte[] { 9, 8, 7 }, true);

            List<RawWebSocket.Frame> messages = new ArrayList<>();
            List<RawWebSocket.Frame> pongs = new ArrayList<>();
            while (messages.size() < 4 || pongs.isEmpty()) {
                RawWebSocket.Frame frame = ws.readFrame();
                if (frame == null || frame.opcode() == 0x8) {
                    throw new AssertionError("closed after " + messages.size() + " messages");
                }
                (frame.opcode() == 0xA ? pongs : messages).add(frame);
            }
            assertFrame(TEXT, utf8("fragmented"), messages.get(0));
            assertFrame(TEXT, new byte[0], messages.get(1));
            assertFrame(TEXT, utf8("middle"), messages.get(2));
            assertFrame(BINARY, new byte[] { 9, 8, 7 }, messages.get(3));
            assertFrame(0xA, utf8("p"), pongs.get(0)); // the ping between fragments was answered
        }
    }

    @Test
    void aMessageBeforeABadFrameInTheSameReadIsEchoedBeforeTheClose() throws Exception {
        try (RawWebSocket ws = open()) {
            byte[] message = RawWebSocket.frame(FIN | TEXT, utf8("before"), true);
            byte[] reservedBit = RawWebSocket.frame(FIN | 0x40 | TEXT, utf8("bad"), true);
            byte[] both = new byte[message.length + reservedBit.length];
            System.arraycopy(message, 0, both, 0, message.length);
            System.arraycopy(reservedBit, 0, both, message.length, reservedBit.length);
            ws.writeBytes(both); // one write: the server decodes both in one read (Autobahn 3.2, 5.15)

            assertFrame(TEXT, utf8("before"), read(ws, 1).get(0));
            assertEquals(1002, ws.awaitCloseCode());
        }
    }
}
