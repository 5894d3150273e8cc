package io.realtimegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.runtime.configuration.DurationConverter;
import io.realtimegateway.lifecycle.DrainPlan;

/**
 * The Knative and Cloud Run manifests under {@code deploy/} must fit the platforms' WebSocket rules and the service's
 * own timing: a connection is closed by the service (max age) before the platform cuts the request, the drain's delay
 * and spread fit its timeout and the drain (with the cut of what is left) ends before the platform kills the instance,
 * probes point at the real health endpoints, and the settings the manifests
 * pass are ones the service reads.
 */
class DeploymentManifestsAgreeWithTheServiceTest {

    /** Cloud Run sends SIGTERM and stops the instance 10 seconds later; this is not configurable. */
    private static final Duration CLOUD_RUN_TERMINATION_GRACE = Duration.ofSeconds(10);
    /** Cloud Run's longest request timeout. */
    private static final long CLOUD_RUN_MAX_TIMEOUT_SECONDS = 3600;
    /** The largest share of the max age the service adds as jitter (see docs/operations.md, Graceful drain). */
    private static final double MAX_AGE_JITTER = 0.10;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @ValueSource(strings = { "knative", "cloudrun" })
    void connectionsEndBeforeThePlatformCutsThemAndDrainEndsBeforeTheInstanceIsKilled(String platform)
            throws IOException {
        JsonNode spec = spec(platform);
        Map<String, String> env = env(spec);
        long timeoutSeconds = spec.path("timeoutSeconds").asLong();
        assertTrue(timeoutSeconds > 0 && timeoutSeconds <= CLOUD_RUN_MAX_TIMEOUT_SECONDS, "timeoutSeconds");

        Duration maxAge = duration(env, "GATEWAY_MAX_CONNECTION_AGE");
        assertTrue(maxAge.toMillis() * (1 + MAX_AGE_JITTER) < timeoutSeconds * 1000,
                "max connection age " + maxAge + " plus jitter must end before the request timeout " + timeoutSeconds
                        + "s");

        Duration drain = duration(env, "GATEWAY_SHUTDOWN_DRAIN_TIMEOUT");
        // The service's own start-up rule: delay + spread + time for the last closes fit the drain timeout.
        DrainPlan.of(duration(env, "GATEWAY_DRAIN_DELAY"), duration(env, "GATEWAY_DRAIN_SPREAD"), drain);
        // Knative gives a terminating pod a grace period equal to the revision's timeoutSeconds.
        Duration grace = platform.equals("cloudrun") ? CLOUD_RUN_TERMINATION_GRACE : Duration.ofSeconds(timeoutSeconds);
        Duration exit = drain.plus(DrainPlan.CUT_ALLOWANCE);
        assertTrue(exit.compareTo(grace) < 0, "drain " + drain + " and the cut of what is left must end within the"
                + " termination grace " + grace);

        Duration heartbeat = duration(env, "GATEWAY_HEARTBEAT_INTERVAL");
        long idleTimeout = spec.path("idleTimeoutSeconds").asLong(0);
        if (idleTimeout > 0) {
            assertTrue(heartbeat.toSeconds() < idleTimeout, "heartbeats must keep the connection from looking idle");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "knative", "cloudrun" })
    void probesScalingAndBrokerSuitLongLivedConnectionsOnManyInstances(String platform) throws IOException {
        JsonNode spec = spec(platform);
        JsonNode container = spec.path("containers").get(0);
        JsonNode readiness = container.has("readinessProbe") ? container.path("readinessProbe").path("httpGet")
                : container.path("startupProbe").path("httpGet");
        JsonNode liveness = container.path("livenessProbe").path("httpGet");
        assertEquals("/q/health/ready", readiness.path("path").asText());
        assertEquals("/q/health/live", liveness.path("path").asText());
        assertEquals(9000, readiness.path("port").asInt(), "health is served on the management port only");
        assertEquals(9000, liveness.path("port").asInt(), "health is served on the management port only");
        assertEquals(8080, container.path("ports").get(0).path("containerPort").asInt());
        assertTrue(spec.path("containerConcurrency").asInt() >= 100,
                "each WebSocket counts as a concurrent request: concurrency must be sized for many");
        Map<String, String> env = env(spec);
        assertEquals("redis", env.get("GATEWAY_BROKER"), "several instances need the Redis broker");
        assertTrue(container.toString().contains("QUARKUS_REDIS_HOSTS"), "the Redis address");
        assertTrue(container.toString().contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION"), "the JWT key");
        assertTrue(env.containsKey("GATEWAY_ALLOWED_ORIGINS"), "production allows no Origin until configured");
        if (platform.equals("cloudrun")) {
            JsonNode annotations = template(platform).path("metadata").path("annotations");
            assertEquals("false", annotations.path("run.googleapis.com/cpu-throttling").asText(),
                    "heartbeats and timers run between requests");
            assertEquals("true", annotations.path("run.googleapis.com/sessionAffinity").asText());
        }
    }

    private static JsonNode template(String platform) throws IOException {
        JsonNode root = YAML.readTree(Path.of("deploy", platform, "service.yaml").toFile());
        assertEquals("serving.knative.dev/v1", root.path("apiVersion").asText());
        return root.path("spec").path("template");
    }

    private static JsonNode spec(String platform) throws IOException {
        JsonNode spec = template(platform).path("spec");
        assertNotNull(spec.get("containers"), platform + " has no containers");
        return spec;
    }

    private static Map<String, String> env(JsonNode spec) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode var : spec.path("containers").get(0).path("env")) {
            if (var.has("value")) {
                env.put(var.path("name").asText(), var.path("value").asText());
            }
        }
        return env;
    }

    private static Duration duration(Map<String, String> env, String name) {
        String value = env.get(name);
        assertNotNull(value, name + " is not set");
        return DurationConverter.parseDuration(value);
    }
}
