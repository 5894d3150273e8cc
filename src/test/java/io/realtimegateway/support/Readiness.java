package io.realtimegateway.support;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.time.Duration;

import org.awaitility.Awaitility;

/** The service's readiness, asked on its management interface ({@code /q/health/ready}), as a probe asks it. */
public final class Readiness {

    private Readiness() {
    }

    /** The readiness status code now: 200 (UP) or 503 (DOWN). */
    public static int status(URI management) {
        return given().get(management.resolve("/q/health/ready")).statusCode();
    }

    /** Waits, at most 30 s, until the service is ready (it reaches its Redis). */
    public static void awaitUp(URI management) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> status(management) == 200);
    }
}
