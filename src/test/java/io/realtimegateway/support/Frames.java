package io.realtimegateway.support;

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

    public static JsonObject publish(String room, Object data, String ref) {
        return new JsonObject().put("type", "publish").put("room", room).put("data", data).put("ref", ref);
    }
}
