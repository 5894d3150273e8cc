package io.realtimegateway.metrics;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

@QuarkusTest
class PrometheusShowsEveryGatewayMetricTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void afterTrafficEveryMetricFamilyIsExposed() {
        try (WsClient a = WsClient.connect(base, "/ws/chat", Tokens.user("m1"));
                WsClient b = WsClient.connect(base, "/ws/chat", Tokens.user("m2"))) {
            a.request(join("metrics", "1"));
            b.request(join("metrics", "2"));
            a.request(publish("metrics", "x", "3"));
            b.next("message");
        }
        WsClient.refused(base, "/ws/chat", Map.of());
        WsClient.refused(base, "/ws/nowhere?access_token=" + Tokens.user("x"), Map.of());

        String metrics = given().get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString();
        for (String family : new String[] {
                "gateway_connections_open{endpoint=\"chat\"",
                "gateway_connections_open{endpoint=\"notifications\"",
                "gateway_connections_opened_total{endpoint=\"chat\"",
                "gateway_connections_closed_total{code=",
                "gateway_messages_received_total{endpoint=\"chat\"",
                "gateway_messages_received_bytes_total",
                "gateway_messages_sent_total",
                "gateway_messages_sent_bytes_total",
                "gateway_upgrades_refused_total{reason=\"no_token\",status=\"401\"",
                "gateway_upgrades_refused_total{reason=\"unknown_path\",status=\"404\"",
                "gateway_heartbeat_terminations_total",
                "gateway_slow_consumer_closes_total",
                "gateway_rate_limited_total{scope=\"message\"",
                "gateway_broker_publish_errors_total{broker=\"memory\"",
                "gateway_broadcast_fanout_seconds_count",
                "gateway_rooms" }) {
            assertTrue(metrics.contains(family), "missing " + family);
        }
    }

    @Test
    void theOperationsEndpointsAreNotOnThePublicPort() {
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live" }) {
            given().get(path).then().statusCode(404);
        }
    }
}
