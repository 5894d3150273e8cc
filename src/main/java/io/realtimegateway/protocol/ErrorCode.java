package io.realtimegateway.protocol;

/**
 * The machine-readable {@code code} of an {@code error} frame. Each names one thing the client can correct; the wire
 * form is the lower-case name given here and never changes once published.
 */
public enum ErrorCode {
    /** The text frame, or the header of a binary frame, is not valid JSON. */
    BAD_JSON("bad_json"),
    /**
     * A binary frame that does not have the protocol's shape: shorter than its 2-byte header length, or a header
     * length beyond the frame's end.
     */
    BAD_BINARY_FRAME("bad_binary_frame"),
    /** The frame is JSON but not an object. */
    NOT_OBJECT("not_object"),
    /** The {@code type} is not one this endpoint knows. */
    UNKNOWN_TYPE("unknown_type"),
    /** A required field is absent. */
    MISSING_FIELD("missing_field"),
    /** A field has the wrong JSON type or an unacceptable value. */
    INVALID_FIELD("invalid_field"),
    /** A room name is empty, too long or has characters outside {@code [A-Za-z0-9._:-]}. */
    INVALID_ROOM("invalid_room"),
    /** A {@code refresh} whose token is invalid, expired, or of another user; the connection keeps its old token. */
    INVALID_TOKEN("invalid_token"),
    /** The connection is already in the maximum number of rooms. */
    TOO_MANY_ROOMS("too_many_rooms"),
    /** Publish or leave for a room the connection has not joined. */
    NOT_MEMBER("not_member"),
    /** The token does not grant access to the room. */
    FORBIDDEN("forbidden"),
    /** The endpoint accepts no client messages (server push only). */
    NOT_SUPPORTED("not_supported"),
    /** A message over {@code gateway.limits.max-message-size} (the REST API's 413); it was not accepted. */
    TOO_LARGE("too_large"),
    /** The connection sends faster than its inbound rate; the frame was not processed. */
    RATE_LIMITED("rate_limited"),
    /** The message could not reach other instances (Redis down); only the members on this instance got it. */
    UNAVAILABLE("unavailable"),
    /** The server failed while handling the frame; the connection stays usable. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The value sent in the {@code code} field. */
    public String wire() {
        return wire;
    }
}
