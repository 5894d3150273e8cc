package io.realtimegateway.message;

import io.quarkus.websockets.next.CloseReason;

/** The close codes the gateway sends, each with its documented reason text. docs/protocol.md lists the same table. */
public final class CloseCodes {

    /** 1001: the server is shutting down; reconnect (to another instance). Sent with a hint, see {@link #goingAway}. */
    public static final int GOING_AWAY = 1001;
    /** 1008: policy violation, for example a client that keeps exceeding its message rate. */
    public static final CloseReason POLICY_VIOLATION = new CloseReason(1008, "policy violation");
    /** 1009: a message over {@code gateway.limits.max-message-size}. */
    public static final CloseReason MESSAGE_TOO_BIG = new CloseReason(1009, "message too big");
    /** 1011: the server failed unexpectedly while handling this connection. */
    public static final CloseReason INTERNAL_ERROR = new CloseReason(1011, "internal error");
    /** 1012: the connection reached its maximum age; reconnect. */
    public static final CloseReason SERVICE_RESTART = new CloseReason(1012, "maximum connection age reached");
    /** 1013: the client did not read fast enough and its outbound queue filled up; reconnect later. */
    public static final CloseReason SLOW_CONSUMER = new CloseReason(1013, "slow consumer");
    /** 4001: the token expired; fetch a new one, then reconnect. */
    public static final CloseReason TOKEN_EXPIRED = new CloseReason(4001, "token expired");

    /**
     * 1001 with a reconnect hint as its reason, {@code {"retryAfterMs":<n>}}: the client should wait {@code n}
     * milliseconds before it reconnects (elsewhere). At most 36 bytes, well within the 123 bytes a close reason may
     * have.
     *
     * @param retryAfterMillis the wait, not negative
     */
    public static CloseReason goingAway(long retryAfterMillis) {
        if (retryAfterMillis < 0) {
            throw new IllegalArgumentException("retryAfterMillis " + retryAfterMillis);
        }
        return new CloseReason(GOING_AWAY, "{\"retryAfterMs\":" + retryAfterMillis + "}");
    }

    private CloseCodes() {
    }
}
