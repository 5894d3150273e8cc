package io.realtimegateway.endpoint;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.broadcast.Broadcaster;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.Json;
import io.realtimegateway.protocol.RoomNames;
import io.smallrye.mutiny.Uni;

/**
 * The publish API for back-end services. The request body is the JSON {@code data} of the message (or, to a room,
 * with {@code Content-Type: application/octet-stream}, the bytes of a binary message, delivered unchanged); the
 * answer is
 * {@code 202 {"id":"..."}} once the broker accepted it, {@code 400} for a bad room or an empty body, {@code 413} when
 * the data, as compact JSON (or the bytes), is over {@code gateway.limits.max-message-size} (the limit WebSocket clients have), and
 * {@code 503} when it could not reach every instance. A message refused with {@code 400} or {@code 413} goes nowhere
 * (not into the history either); one answered {@code 503} may still have reached this instance's connections (and, when
 * only the broker failed, the history): see {@link Broadcaster}. Callers need a token with role {@code publisher} in
 * the {@code Authorization} header.
 */
@Path("/api/v1")
@RolesAllowed(PublishResource.PUBLISHER_ROLE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PublishResource {

    /** The role a service token needs to publish. */
    public static final String PUBLISHER_ROLE = "publisher";

    @Inject
    Broadcaster broadcaster;

    @Inject
    JsonWebToken caller;

    @Inject
    GatewayConfig config;

    @POST
    @Path("/rooms/{room}/messages")
    public Uni<Response> toRoom(@PathParam("room") String room, JsonNode data) {
        String problem = RoomNames.problem(room);
        if (problem != null) {
            return Uni.createFrom().item(ApiResponses.badRequest(ErrorCode.INVALID_ROOM, problem));
        }
        if (data == null) {
            return Uni.createFrom().item(ApiResponses.missingBody());
        }
        Response tooLarge = tooLarge(data);
        if (tooLarge != null) {
            return Uni.createFrom().item(tooLarge);
        }
        return ApiResponses.accepted(broadcaster.toRoom(room, caller.getName(), data, null));
    }

    /**
     * A binary message to a room: members receive the body unchanged, in a binary frame (see {@code docs/protocol.md}),
     * and the history keeps it. An empty body is an empty payload.
     */
    @POST
    @Path("/rooms/{room}/messages")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Response> bytesToRoom(@PathParam("room") String room, byte[] payload) {
        String problem = RoomNames.problem(room);
        if (problem != null) {
            return Uni.createFrom().item(ApiResponses.badRequest(ErrorCode.INVALID_ROOM, problem));
        }
        byte[] bytes = payload == null ? new byte[0] : payload;
        int max = config.limits().maxMessageSize();
        if (bytes.length > max) {
            return Uni.createFrom().item(ApiResponses.tooLarge(bytes.length, max, "bytes"));
        }
        return ApiResponses.accepted(broadcaster.toRoom(room, caller.getName(), bytes, null));
    }

    @POST
    @Path("/users/{user}/notifications")
    public Uni<Response> toUser(@PathParam("user") String user, JsonNode data) {
        if (user.isBlank()) {
            return Uni.createFrom().item(ApiResponses.badRequest(ErrorCode.INVALID_FIELD, "user must not be empty"));
        }
        if (data == null) {
            return Uni.createFrom().item(ApiResponses.missingBody());
        }
        Response tooLarge = tooLarge(data);
        if (tooLarge != null) {
            return Uni.createFrom().item(tooLarge);
        }
        return ApiResponses.accepted(broadcaster.toUser(user, data));
    }

    @POST
    @Path("/broadcast")
    public Uni<Response> toAll(JsonNode data) {
        if (data == null) {
            return Uni.createFrom().item(ApiResponses.missingBody());
        }
        Response tooLarge = tooLarge(data);
        if (tooLarge != null) {
            return Uni.createFrom().item(tooLarge);
        }
        return ApiResponses.accepted(broadcaster.toAll(caller.getName(), data));
    }

    /** The 413 for data over the message size limit, or {@code null}. */
    private Response tooLarge(JsonNode data) {
        int max = config.limits().maxMessageSize();
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree failed to encode", e);
        }
        return json.length > max ? ApiResponses.tooLarge(json.length, max, "bytes of JSON") : null;
    }
}
