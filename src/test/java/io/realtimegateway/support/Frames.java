package io.realtimegateway.support;

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

    public static JsonObject publish(String room, Object data, String ref) {
        return new JsonObject().put("type", "publish").put("room", room).put("data", data).put("ref", ref);
    }
}
