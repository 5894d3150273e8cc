package io.realtimegateway.connection;

/** The WebSocket endpoints of the gateway, as tags for registries and metrics. */
public enum Endpoint {
    CHAT("chat"),
    NOTIFICATIONS("notifications");

    private final String tag;

    Endpoint(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
