package io.realtimegateway.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One server frame, encoded once and shared by every recipient: its JSON text (or, for the echo endpoint, a binary
 * payload: {@link #binary(byte[])}) and, made on first use, the complete RFC 6455 frame on the wire ({@link #wire()})
 * or the Server-Sent Events event of the HTTP fallback transport ({@link #event()}). A frame of a message kept in a
 * history carries that message's id ({@link #eventId()}), which the event stream sends as the event's {@code id:}.
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
    /** The id of the history message this frame carries, or {@code null}. */
    private final String eventId;
    /** Made on first use; a race makes it twice at worst, with the same content. */
    private volatile byte[] wire;
    /** Made on first use, as {@link #wire}. */
    private volatile byte[] event;

    private OutboundFrame(String text, byte[] binary, int bytes, String eventId) {
        this.text = text;
        this.binary = binary;
        this.bytes = bytes;
        this.eventId = eventId;
    }

    public static OutboundFrame of(String text) {
        return new OutboundFrame(text, null, utf8Length(text), null);
    }

    /**
     * The frame of a message kept in a history: {@code eventId} is its id ({@code <epoch>:<offset>}, the frame's own
     * {@code "id"}), or {@code null} for none.
     */
    public static OutboundFrame of(String text, String eventId) {
        return new OutboundFrame(text, null, utf8Length(text), eventId);
    }

    /** A binary frame; {@code payload} is owned by the frame from now on: never modify it. */
    public static OutboundFrame binary(byte[] payload) {
        return new OutboundFrame(null, payload, payload.length, null);
    }

    /** The id of the history message this frame carries (a room message, a notification), or {@code null}. */
    public String eventId() {
        return eventId;
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

    /**
     * The frame as one Server-Sent Events event (the HTML standard's {@code text/event-stream}): {@code id: <eventId>}
     * when the frame carries one, then the frame's JSON as {@code data:} (one line per line of the text; the gateway's
     * own frames have none), then the blank line that ends the event. A binary frame goes as JSON text, see
     * {@link #binaryAsText}. Shared by every caller: never modify it.
     */
    public byte[] event() {
        byte[] current = event;
        if (current == null) {
            StringBuilder out = new StringBuilder(bytes + 32);
            if (eventId != null) {
                out.append("id: ").append(eventId).append('\n');
            }
            String data = binary != null ? binaryAsText(binary) : text;
            if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
                out.append("data: ").append(data).append('\n');
            } else {
                for (String line : data.split("\r\n|\r|\n", -1)) {
                    out.append("data: ").append(line).append('\n');
                }
            }
            current = out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
            event = current;
        }
        return current;
    }

    /**
     * A binary frame as the text an event stream can carry (SSE is text only): JSON with the bytes in base64 in a
     * {@code "payload"} field. The seam for binary room messages: where a binary frame carries a JSON header (issue
     * 27's {@code {"type":"message","room":..,"id":..,"from":..}}), its fields go beside {@code payload}; until then
     * a binary frame (only the echo endpoint sends them, and it has no event stream) is
     * {@code {"type":"binary","payload":"<base64>"}}.
     */
    static String binaryAsText(byte[] payload) {
        return "{\"type\":\"binary\",\"payload\":\"" + Base64.getEncoder().encodeToString(payload) + "\"}";
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
