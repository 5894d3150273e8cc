package io.realtimegateway.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

import io.vertx.core.json.JsonObject;

/** Client frames of the chat protocol, for tests. */
public final class Frames {

    private Frames() {
    }

    public static JsonObject join(String room, String ref) {
        return new JsonObject().put("type", "join").put("room", room).put("ref", ref);
    }

    public static JsonObject leave(String room, String ref) {
        return new JsonObject().put("type", "leave").put("room", room).put("ref", ref);
    }

    /**
     * Matches a {@code presence_diff} that names one of {@code users}; events about others (a watcher's own join may
     * or may not reach it, depending on whether its subscription was in place first) do not match.
     */
    public static Predicate<JsonObject> presenceDiffAbout(String... users) {
        List<String> names = List.of(users);
        return f -> "presence_diff".equals(f.getString("type"))
                && (f.getJsonArray("joined").stream().anyMatch(names::contains)
                        || f.getJsonArray("left").stream().anyMatch(names::contains));
    }

    /**
     * A binary publish frame: the header {@code {"type":"publish","room":..,"ref":..}} ({@code ref} left out when
     * {@code null}), its length in 2 bytes before it, then {@code payload}.
     */
    public static byte[] publishBytes(String room, String ref, byte[] payload) {
        JsonObject header = new JsonObject().put("type", "publish").put("room", room);
        if (ref != null) {
            header.put("ref", ref);
        }
        return binaryFrame(header.encode().getBytes(StandardCharsets.UTF_8), payload);
    }

    /** A binary frame of the chat protocol's shape: {@code header}'s length in 2 bytes, {@code header}, payload. */
    public static byte[] binaryFrame(byte[] header, byte[] payload) {
        byte[] frame = new byte[2 + header.length + payload.length];
        frame[0] = (byte) (header.length >>> 8);
        frame[1] = (byte) header.length;
        System.arraycopy(header, 0, frame, 2, header.length);
        System.arraycopy(payload, 0, frame, 2 + header.length, payload.length);
        return frame;
    }

    /** Every byte value, then {@code extra} pseudo-random bytes (seeded, so a failure repeats). */
    public static byte[] everyByteAnd(int extra) {
        byte[] bytes = new byte[256 + extra];
        for (int i = 0; i < 256; i++) {
            bytes[i] = (byte) i;
        }
        byte[] random = new byte[extra];
        new java.util.Random(extra).nextBytes(random);
        System.arraycopy(random, 0, bytes, 256, extra);
        return bytes;
    }

    public static JsonObject publish(String room, Object data, String ref) {
        return new JsonObject().put("type", "publish").put("room", room).put("data", data).put("ref", ref);
    }
}
