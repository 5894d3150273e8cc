package io.realtimegateway.dev;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.arc.profile.IfBuildProfile;
import io.realtimegateway.protocol.RoomNames;
import io.smallrye.jwt.build.Jwt;

/**
 * {@code GET /dev/token?user=alice}: a signed token for local development, so a newcomer can connect without an
 * identity provider. Exists only in {@code quarkus dev}: test builds have no such bean, and production builds do not even contain the class.
 * <p>
 * Query parameters: {@code user} (required), {@code roles} (comma-separated, default {@code user}), {@code rooms}
 * (comma-separated private room grants), {@code ttl} (seconds, default 3600).
 */
@Path("/dev/token")
@IfBuildProfile("dev")
public class DevTokenResource {

    @Inject
    DevKeys keys;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public Response token(@QueryParam("user") String user, @QueryParam("roles") @DefaultValue("user") String roles,
            @QueryParam("rooms") @DefaultValue("") String rooms, @QueryParam("ttl") @DefaultValue("3600") long ttl) {
        if (user == null || !RoomNames.isValid(user)) {
            return Response.status(400).entity("user is required: letters, digits and . _ : - only\n").build();
        }
        String token = Jwt.issuer("realtime-gateway-dev").subject(user).groups(split(roles))
                .claim("rooms", split(rooms)).expiresIn(Duration.ofSeconds(Math.max(1, ttl)))
                .sign(keys.privateKey());
        return Response.ok(token).build();
    }

    private static Set<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
