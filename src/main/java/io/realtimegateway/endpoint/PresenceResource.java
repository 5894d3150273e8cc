package io.realtimegateway.endpoint;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.realtimegateway.presence.Presence;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.RoomNames;
import io.smallrye.mutiny.Uni;

/**
 * Who is in a room, for back-end services: {@code 200 {"room":..,"users":[..]}}, {@code 400} for a bad room name,
 * {@code 503} when presence cannot be read (Redis down). Needs a token with role {@code publisher}.
 */
@Path("/api/v1/rooms/{room}/presence")
@RolesAllowed(PublishResource.PUBLISHER_ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class PresenceResource {

    @Inject
    Presence presence;

    @GET
    public Uni<Response> get(@PathParam("room") String room) {
        String problem = RoomNames.problem(room);
        if (problem != null) {
            return Uni.createFrom().item(ApiResponses.badRequest(ErrorCode.INVALID_ROOM, problem));
        }
        return presence.users(room).map(users -> Response.ok(new RoomPresence(room, users)).build())
                .onFailure()
                .recoverWithItem(failure -> ApiResponses.unavailable("presence cannot be read; retry later"));
    }
}
