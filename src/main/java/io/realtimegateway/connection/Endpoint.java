package io.realtimegateway.connection;

/** The WebSocket endpoints of the gateway, as tags for registries and metrics. */
public enum Endpoint {
    CHAT("chat"),
    NOTIFICATIONS("notifications"),
    /** {@code /ws/echo}, for the conformance suite; off unless {@code gateway.echo.enabled}. */
    ECHO("echo");

    private final String tag;

    Endpoint(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
