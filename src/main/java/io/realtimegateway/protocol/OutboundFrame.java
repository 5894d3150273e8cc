package io.realtimegateway.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One server frame, encoded once and shared by every recipient: its JSON text and, made on first use, the complete
 * RFC 6455 frame on the wire ({@link #wire()}). Immutable and thread-safe, so it can be handed to any number of
 * connections on any thread.
 */
public final class OutboundFrame {

    /** FIN set, opcode 1 (text): a whole text message in one frame. */
    private static final int FIN_TEXT = 0x81;

    private final String text;
    private final int bytes;
    /** Made on first use; a race makes it twice at worst, with the same content. */
    private volatile byte[] wire;

    private OutboundFrame(String text, int bytes) {
        this.text = text;
        this.bytes = bytes;
    }

    public static OutboundFrame of(String text) {
        return new OutboundFrame(text, utf8Length(text));
    }

    /** The JSON text of the frame. */
    public String text() {
        return text;
    }

    /** Its UTF-8 length, counted once, for the outbound queue bound. */
    public int bytes() {
        return bytes;
    }

    /**
     * The frame as a server sends it (RFC 6455 section 5.2): FIN and the text opcode, the payload length in 7, 7+16 or
     * 7+64 bits, no mask (servers do not mask), then the UTF-8 payload. Shared by every caller: never modify it.
     */
    public byte[] wire() {
        byte[] current = wire;
        if (current == null) {
            current = encode(text.getBytes(StandardCharsets.UTF_8));
            wire = current;
        }
        return current;
    }

    static byte[] encode(byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) FIN_TEXT;
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
        return other instanceof OutboundFrame frame && frame.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
