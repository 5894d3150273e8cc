package io.realtimegateway.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One server frame, encoded once and shared by every recipient: its JSON text (or, for the echo endpoint, a binary
 * payload: {@link #binary(byte[])}) and, made on first use, the complete RFC 6455 frame on the wire ({@link #wire()}).
 * Immutable and thread-safe, so it can be handed to any number of connections on any thread.
 */
public final class OutboundFrame {

    /** FIN set, opcode 1 (text): a whole text message in one frame. */
    private static final int FIN_TEXT = 0x81;
    /** FIN set, opcode 2 (binary). */
    private static final int FIN_BINARY = 0x82;

    private final String text;
    /** The payload of a binary frame; {@code null} for a text frame. */
    private final byte[] binary;
    private final int bytes;
    /** Made on first use; a race makes it twice at worst, with the same content. */
    private volatile byte[] wire;

    private OutboundFrame(String text, byte[] binary, int bytes) {
        this.text = text;
        this.binary = binary;
        this.bytes = bytes;
    }

    public static OutboundFrame of(String text) {
        return new OutboundFrame(text, null, utf8Length(text));
    }

    /** A binary frame; {@code payload} is owned by the frame from now on: never modify it. */
    public static OutboundFrame binary(byte[] payload) {
        return new OutboundFrame(null, payload, payload.length);
    }

    /** The text of a text frame (JSON on the chat and notification endpoints); {@code null} for a binary frame. */
    public String text() {
        return text;
    }

    /** Whether this is a binary frame (opcode 2). */
    public boolean isBinary() {
        return binary != null;
    }

    /** The payload of a binary frame, shared: never modify it; {@code null} for a text frame. */
    public byte[] binaryPayload() {
        return binary;
    }

    /** Its UTF-8 length, counted once, for the outbound queue bound. */
    public int bytes() {
        return bytes;
    }

    /**
     * The frame as a server sends it (RFC 6455 section 5.2): FIN and the text or binary opcode, the payload length in
     * 7, 7+16 or 7+64 bits, no mask (servers do not mask), then the payload (UTF-8 for text). Shared by every caller:
     * never modify it.
     */
    public byte[] wire() {
        byte[] current = wire;
        if (current == null) {
            current = binary != null ? encode(FIN_BINARY, binary)
                    : encode(FIN_TEXT, text.getBytes(StandardCharsets.UTF_8));
            wire = current;
        }
        return current;
    }

    static byte[] encode(byte[] payload) {
        return encode(FIN_TEXT, payload);
    }

    private static byte[] encode(int firstByte, byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) firstByte;
        if (length < 126) {
            frame[1] = (byte) length;
        } else if (length <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            long l = length;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (l >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                // Rare on this protocol (JSON escapes are ASCII): count exactly by encoding.
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutboundFrame frame && Objects.equals(frame.text, text)
                && Arrays.equals(frame.binary, binary);
    }

    @Override
    public int hashCode() {
        return text != null ? text.hashCode() : Arrays.hashCode(binary);
    }

    @Override
    public String toString() {
        return text != null ? text : "binary frame of " + binary.length + " bytes";
    }
}
