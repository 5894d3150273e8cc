package io.realtimegateway.protocol;

/**
 * A client frame the server refuses, with the error to send back. Cheap to throw: it carries no stack trace, since it
 * describes bad input, not a server fault.
 */
public final class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final String ref;

    public ProtocolException(ErrorCode code, String message, String ref) {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    public ErrorCode code() {
        return code;
    }

    /** The client's correlation string, when the frame carried a readable one; otherwise {@code null}. */
    public String ref() {
        return ref;
    }
}
