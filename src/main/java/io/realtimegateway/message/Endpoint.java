package io.realtimegateway.message;

/** The WebSocket endpoints of the gateway, as tags for registries and metrics. */
public enum Endpoint {
    CHAT("chat"),
    NOTIFICATIONS("notifications"),
    /** {@code /ws/echo}, for the conformance suite; off unless {@code gateway.echo.enabled}. */
    ECHO("echo");

    /** The {@code endpointId} of {@code /ws/echo}, by which its upgrade check recognises it. */
    public static final String ECHO_ID = "echo";

    private final String tag;

    Endpoint(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
