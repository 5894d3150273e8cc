package io.realtimegateway.endpoint;

import jakarta.ws.rs.core.Response;

import io.realtimegateway.protocol.ErrorCode;
import io.smallrye.mutiny.Uni;

/** The JSON answers of the REST API, in one shape: {@code {"id":..}} or {@code {"code":..,"message":..}}. */
final class ApiResponses {

    private ApiResponses() {
    }

    static Uni<Response> accepted(Uni<String> id) {
        return id.map(value -> Response.accepted(new PublishAccepted(value)).build())
                .onFailure().recoverWithItem(failure -> unavailable("the message could not be delivered; retry later"));
    }

    /** {@code 503} with {@code Retry-After: 1}. */
    static Response unavailable(String message) {
        return Response.status(503).entity(error(ErrorCode.UNAVAILABLE, message)).header("Retry-After", "1").build();
    }

    static Response badRequest(ErrorCode code, String message) {
        return Response.status(400).entity(error(code, message)).build();
    }

    /**
     * {@code 413}: the message is over {@code gateway.limits.max-message-size}.
     *
     * @param unit what {@code size} counts, for the message: {@code bytes of JSON}, {@code bytes}
     */
    static Response tooLarge(int size, int max, String unit) {
        return Response.status(413).entity(error(ErrorCode.TOO_LARGE,
                "the message is " + size + " " + unit + "; at most " + max + " are accepted")).build();
    }

    static Response missingBody() {
        return badRequest(ErrorCode.MISSING_FIELD, "the request body must be the JSON data of the message");
    }

    private static ApiError error(ErrorCode code, String message) {
        return new ApiError(code.wire(), message);
    }
}
