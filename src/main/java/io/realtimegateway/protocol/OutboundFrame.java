package io.realtimegateway.protocol;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One server frame, encoded once and shared by every recipient: its JSON text, and the UTF-8 bytes of that text in one
 * buffer that every connection writes (each through its own {@link ByteBuf#duplicate() duplicate}, so the bytes are
 * neither copied nor re-encoded per recipient). Immutable and thread-safe.
 */
public final class OutboundFrame {

    private final String text;
    private final int bytes;
    /** Created on first write; a race creates it twice at worst, with the same content. */
    private volatile ByteBuf payload;

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
     * The UTF-8 bytes, shared: callers write a {@link ByteBuf#duplicate()} of it and never change its content. The
     * buffer is on the heap and cannot be released, so a write that releases its duplicate frees nothing.
     */
    public ByteBuf payload() {
        ByteBuf current = payload;
        if (current == null) {
            current = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
            payload = current;
        }
        return current;
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
