package io.realtimegateway.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.message.StreamId;

/**
 * Turns the text of a {@code /ws/chat} frame, or a binary frame ({@link #parseBinary}), into a
 * {@link ClientCommand}, or says precisely what is wrong with it. Pure and thread-safe; it holds no state.
 */
public final class CommandParser {

    /** The longest accepted {@code ref}, in characters. */
    public static final int MAX_REF_LENGTH = 64;

    private CommandParser() {
    }

    /**
     * @throws ProtocolException with the error code and message to send to the client; its {@code ref} is the frame's
     *         {@code ref} when that could be read
     */
    public static ClientCommand parse(String text) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "frame is not valid JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(ErrorCode.NOT_OBJECT, "frame must be a JSON object", null);
        }
        String ref = ref(node);
        String type = requiredString(node, "type", ref);
        return switch (type) {
            case "join" -> new ClientCommand.Join(room(node, ref), ref, since(node, ref), rewind(node, ref),
                    flag(node, "presence", ref));
            case "presence" -> new ClientCommand.Presence(room(node, ref), ref);
            case "leave" -> new ClientCommand.Leave(room(node, ref), ref);
            case "ping" -> new ClientCommand.Ping(ref);
            case "refresh" -> new ClientCommand.Refresh(requiredString(node, "token", ref), ref);
            case "publish" -> {
                String room = room(node, ref);
                JsonNode data = node.get("data");
                if (data == null) {
                    throw new ProtocolException(ErrorCode.MISSING_FIELD, "field 'data' is required", ref);
                }
                yield new ClientCommand.Publish(room, data, ref);
            }
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE,
                    "unknown type '" + abbreviate(type) + "'; expected join, leave, publish, presence, refresh or ping",
                    ref);
        };
    }

    /**
     * Parses a binary frame of {@code /ws/chat}: the length {@code n} of a JSON header in 2 bytes (big-endian), the
     * header in {@code n} bytes of UTF-8, then the payload (any bytes, possibly none). The header's only accepted
     * {@code type} is {@code publish}, with a {@code room} and an optional {@code ref}, checked as in a text frame;
     * other fields are ignored. The payload is copied out of {@code frame}.
     *
     * @throws ProtocolException {@code bad_binary_frame} for a frame shorter than 2 bytes or a header length beyond
     *         its end; {@code bad_json}, {@code not_object}, {@code unknown_type} and the field errors of a header as
     *         for a text frame
     */
    public static ClientCommand.PublishBytes parseBinary(byte[] frame) {
        int headerLength = binaryHeaderLength(frame);
        if (headerLength < 0) {
            throw new ProtocolException(ErrorCode.BAD_BINARY_FRAME, frame.length < 2
                    ? "a binary frame starts with its header's length in 2 bytes (big-endian); this one has "
                            + frame.length
                    : "the binary frame's header length is " + headerLength(frame) + " bytes, but only "
                            + (frame.length - 2) + " follow",
                    null);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(frame, 2, headerLength);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "the binary frame's header is not valid JSON (UTF-8)",
                    null);
        }
        if (node == null || node.isMissingNode()) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "the binary frame's header is empty", null);
        }
        if (!node.isObject()) {
            throw new ProtocolException(ErrorCode.NOT_OBJECT, "the binary frame's header must be a JSON object", null);
        }
        String ref = ref(node);
        String type = requiredString(node, "type", ref);
        if (!"publish".equals(type)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown type '" + abbreviate(type)
                    + "' in a binary frame; binary frames carry only publish", ref);
        }
        String room = room(node, ref);
        return new ClientCommand.PublishBytes(room, Arrays.copyOfRange(frame, 2 + headerLength, frame.length), ref);
    }

    /**
     * The top-level {@code ref} of a binary frame answered without being parsed (see {@link #refOf}), or
     * {@code null}.
     */
    public static String refOfBinary(byte[] frame) {
        int headerLength = binaryHeaderLength(frame);
        return headerLength < 0 ? null : refOf(new String(frame, 2, headerLength, StandardCharsets.UTF_8));
    }

    /** The header length of a binary frame, or -1 when the frame is too short for it. */
    private static int binaryHeaderLength(byte[] frame) {
        if (frame.length < 2) {
            return -1;
        }
        int length = headerLength(frame);
        return length > frame.length - 2 ? -1 : length;
    }

    private static int headerLength(byte[] frame) {
        return ((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF);
    }

    /**
     * The top-level {@code ref} of a frame that is answered without being parsed (one refused by the inbound rate),
     * read with a streaming parser that builds nothing and skips nested values.
     *
     * @return the {@code ref}, or {@code null} when the text is not a JSON object or its {@code ref} is absent, not a
     *         string or longer than {@value #MAX_REF_LENGTH} characters
     */
    public static String refOf(String text) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("ref".equals(name)) {
                    return value == JsonToken.VALUE_STRING
                            && parser.getTextLength() <= MAX_REF_LENGTH ? parser.getText() : null;
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException malformed) {
            // Not JSON, or cut short: there is no ref to answer with.
        }
        return null;
    }

    private static String ref(JsonNode node) {
        JsonNode ref = node.get("ref");
        if (ref == null || ref.isNull()) {
            return null;
        }
        if (!ref.isTextual()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'ref' must be a string", null);
        }
        if (ref.textValue().length() > MAX_REF_LENGTH) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD,
                    "field 'ref' must be at most " + MAX_REF_LENGTH + " characters", null);
        }
        return ref.textValue();
    }

    private static StreamId since(JsonNode node, String ref) {
        JsonNode since = node.get("since");
        if (since == null || since.isNull()) {
            return null;
        }
        StreamId id = since.isTextual() ? StreamId.parse(since.textValue()) : null;
        if (id == null) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD,
                    "field 'since' must be a message id as received in 'id' (epoch:offset)", ref);
        }
        return id;
    }

    private static int rewind(JsonNode node, String ref) {
        JsonNode rewind = node.get("rewind");
        if (rewind == null || rewind.isNull()) {
            return 0;
        }
        if (!rewind.isIntegralNumber() || !rewind.canConvertToInt() || rewind.intValue() < ClientCommand.Join.MIN_REWIND
                || rewind.intValue() > ClientCommand.Join.MAX_REWIND) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'rewind' must be an integer from "
                    + ClientCommand.Join.MIN_REWIND + " to " + ClientCommand.Join.MAX_REWIND, ref);
        }
        return rewind.intValue();
    }

    private static boolean flag(JsonNode node, String field, String ref) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field '" + field + "' must be true or false", ref);
        }
        return value.booleanValue();
    }

    private static String room(JsonNode node, String ref) {
        String room = requiredString(node, "room", ref);
        String problem = RoomNames.problem(room);
        if (problem != null) {
            throw new ProtocolException(ErrorCode.INVALID_ROOM, problem, ref);
        }
        return room;
    }

    private static String requiredString(JsonNode node, String field, String ref) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "field '" + field + "' is required", ref);
        }
        if (!value.isTextual()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field '" + field + "' must be a string", ref);
        }
        return value.textValue();
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }
}
