package io.realtimegateway.endpoint;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /health}: {@code {"status":"ok"}} while the process serves HTTP, for tools that expect the seed's
 * endpoint. Orchestrators should use {@code /q/health/live} and {@code /q/health/ready}.
 */
@Path("/health")
public class HealthResource {

    private static final Map<String, String> OK = Map.of("status", "ok");

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> health() {
        return OK;
    }
}
