package io.realtimegateway.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import io.realtimegateway.message.Utf8;

/**
 * One server frame, encoded once and shared by every recipient, of one of three kinds:
 * <ul>
 * <li>a text frame: its JSON ({@link #of(String)}, {@link #text()});</li>
 * <li>a binary message: a JSON header and the application's payload bytes ({@link #binaryMessage},
 * {@link #header()}, {@link #payload()}), sent as one binary WebSocket message of the protocol's shape: the header's
 * length in 2 bytes (big-endian), the header in UTF-8, then the payload unchanged. Another transport that cannot carry
 * bytes renders it from {@link #header()} and {@link #payload()} (the event stream: {@link #binaryAsText});</li>
 * <li>a raw binary frame of the echo endpoint ({@link #binary(byte[])}).</li>
 * </ul>
 * Made on first use, the complete RFC 6455 frame on the wire ({@link #wire()}) is shared as well: the payload is
 * copied into it once per frame, never per recipient; so is the Server-Sent Events event of the HTTP fallback
 * transport ({@link #event()}). A frame of a message kept in a history (text or binary) carries that message's id
 * ({@link #eventId()}), which the event stream sends as the event's {@code id:}. Immutable and thread-safe, so it can
 * be handed to any number of connections on any thread.
 */
public final class OutboundFrame {

    /** FIN set, opcode 1 (text): a whole text message in one frame. */
    private static final int FIN_TEXT = 0x81;
    /** FIN set, opcode 2 (binary). */
    private static final int FIN_BINARY = 0x82;

    /** The largest header of a binary message: its length must fit the 2-byte prefix. */
    public static final int MAX_HEADER_BYTES = 0xFFFF;

    /** The JSON of a text frame, or the header of a binary message; {@code null} for a raw binary frame. */
    private final String text;
    /** The payload of a binary message or raw binary frame; {@code null} for a text frame. */
    private final byte[] binary;
    /** The header's UTF-8 bytes of a binary message; {@code null} for the other kinds. */
    private final byte[] header;
    private final int bytes;
    /** The id of the history message this frame carries, or {@code null}. */
    private final String eventId;
    /** Made on first use; a race makes it twice at worst, with the same content. */
    private volatile byte[] wire;
    /** Made on first use, as {@link #wire}. */
    private volatile byte[] event;

    private OutboundFrame(String text, byte[] binary, byte[] header, int bytes, String eventId) {
        this.text = text;
        this.binary = binary;
        this.header = header;
        this.bytes = bytes;
        this.eventId = eventId;
    }

    public static OutboundFrame of(String text) {
        return of(text, null);
    }

    /**
     * The frame of a message kept in a history: {@code eventId} is its id ({@code <epoch>:<offset>}, the frame's own
     * {@code "id"}), or {@code null} for none.
     */
    public static OutboundFrame of(String text, String eventId) {
        return new OutboundFrame(text, null, null, Utf8.length(text), eventId);
    }

    /** A raw binary frame (the echo endpoint's); {@code payload} is owned by the frame from now on: never modify it. */
    public static OutboundFrame binary(byte[] payload) {
        return new OutboundFrame(null, payload, null, payload.length, null);
    }

    /**
     * A binary message: {@code header} (a JSON object, at most {@value #MAX_HEADER_BYTES} bytes of UTF-8) and
     * {@code payload}, which is owned by the frame from now on: never modify it.
     *
     * @throws IllegalArgumentException when the header is longer than {@value #MAX_HEADER_BYTES} bytes
     */
    public static OutboundFrame binaryMessage(String header, byte[] payload) {
        return binaryMessage(header, payload, null);
    }

    /**
     * A binary message of a history, as {@link #binaryMessage(String, byte[])}: {@code eventId} is its id
     * ({@code <epoch>:<offset>}, the header's own {@code "id"}), or {@code null} for none.
     *
     * @throws IllegalArgumentException when the header is longer than {@value #MAX_HEADER_BYTES} bytes
     */
    public static OutboundFrame binaryMessage(String header, byte[] payload, String eventId) {
        byte[] encoded = header.getBytes(StandardCharsets.UTF_8);
        if (encoded.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("binary message header of " + encoded.length + " bytes; at most "
                    + MAX_HEADER_BYTES);
        }
        return new OutboundFrame(header, payload, encoded, 2 + encoded.length + payload.length, eventId);
    }

    /** The id of the history message this frame carries (a room message, a notification), or {@code null}. */
    public String eventId() {
        return eventId;
    }

    /** The text of a text frame (JSON on the chat and notification endpoints); {@code null} for a binary frame. */
    public String text() {
        return header == null ? text : null;
    }

    /** Whether this is a binary frame (opcode 2): a binary message or a raw binary frame. */
    public boolean isBinary() {
        return binary != null;
    }

    /** Whether this is a binary message: a JSON {@link #header()} and a {@link #payload()}. */
    public boolean isBinaryMessage() {
        return header != null;
    }

    /**
     * The JSON header of a binary message, for example
     * {@code {"type":"message","room":"x","id":"k3x9:42","from":"alice","ts":1700000000000}}; {@code null} for the
     * other kinds.
     */
    public String header() {
        return header == null ? null : text;
    }

    /**
     * The application's bytes of a binary message (those of a raw binary frame too), exactly as published: shared by
     * every recipient and every replay, never modify it; {@code null} for a text frame.
     */
    public byte[] payload() {
        return binary;
    }

    /**
     * The content of the binary WebSocket message: for a binary message the 2-byte header length, the header and the
     * payload (a new array each call); for a raw binary frame its payload (shared: never modify it); {@code null} for
     * a text frame.
     */
    public byte[] binaryBody() {
        if (header == null) {
            return binary;
        }
        byte[] body = new byte[bytes];
        writeBody(body, 0);
        return body;
    }

    /** The length of its payload on the wire (the UTF-8 text, or the binary message), for the outbound queue bound. */
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
            if (header != null) {
                current = new byte[wireHeaderLength(bytes) + bytes];
                writeBody(current, writeWireHeader(current, FIN_BINARY, bytes));
            } else {
                current = binary != null ? encode(FIN_BINARY, binary)
                        : encode(FIN_TEXT, text.getBytes(StandardCharsets.UTF_8));
            }
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
            String data = binary != null ? binaryAsText(header(), binary) : text;
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
     * {@code "payload"} field. For a binary message, the fields of its JSON {@code header} go before {@code payload}:
     * {@code {"type":"message","room":..,"id":..,"from":..,"ts":..,"payload":"<base64>"}}. A raw binary frame
     * ({@code header} {@code null}: only the echo endpoint sends them, and it has no event stream) is
     * {@code {"type":"binary","payload":"<base64>"}}.
     */
    static String binaryAsText(String header, byte[] payload) {
        String base64 = Base64.getEncoder().encodeToString(payload);
        if (header == null) {
            return "{\"type\":\"binary\",\"payload\":\"" + base64 + "\"}";
        }
        int end = header.lastIndexOf('}');
        String fields = header.substring(0, end).stripTrailing();
        boolean empty = fields.endsWith("{");
        return fields + (empty ? "" : ",") + "\"payload\":\"" + base64 + "\"}";
    }

    static byte[] encode(byte[] payload) {
        return encode(FIN_TEXT, payload);
    }

    private static byte[] encode(int firstByte, byte[] payload) {
        int length = payload.length;
        byte[] frame = new byte[wireHeaderLength(length) + length];
        System.arraycopy(payload, 0, frame, writeWireHeader(frame, firstByte, length), length);
        return frame;
    }

    private static int wireHeaderLength(int length) {
        return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    /** Writes the frame header for a payload of {@code length} bytes; returns where the payload starts. */
    private static int writeWireHeader(byte[] frame, int firstByte, int length) {
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
        return wireHeaderLength(length);
    }

    /** Writes a binary message's content (header length, header, payload) into {@code target} at {@code at}. */
    private void writeBody(byte[] target, int at) {
        target[at] = (byte) (header.length >>> 8);
        target[at + 1] = (byte) header.length;
        System.arraycopy(header, 0, target, at + 2, header.length);
        System.arraycopy(binary, 0, target, at + 2 + header.length, binary.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutboundFrame frame && Objects.equals(frame.text, text)
                && (frame.header == null) == (header == null) && Arrays.equals(frame.binary, binary);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(text) + Arrays.hashCode(binary);
    }

    @Override
    public String toString() {
        if (header != null) {
            return text + " + " + binary.length + " bytes";
        }
        return text != null ? text : "binary frame of " + binary.length + " bytes";
    }
}
