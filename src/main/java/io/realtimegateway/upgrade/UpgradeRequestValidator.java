package io.realtimegateway.upgrade;

import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.metrics.GatewayMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers malformed WebSocket upgrade requests before any endpoint sees them (the {@code ws} library's
 * {@code wsClientError}): a request that asks for {@code Upgrade: websocket} with a method other than GET, without a
 * valid {@code Sec-WebSocket-Key} (base64 of 16 bytes) gets {@code 400}; one with a {@code Sec-WebSocket-Version}
 * other than 13 gets {@code 426} with {@code Sec-WebSocket-Version: 13}, as RFC 6455 section 4.4 asks. Each is logged
 * at debug with the reason and counted. It also counts upgrades to paths without an endpoint ({@code 404}). Requests
 * that do not ask for an upgrade pass untouched.
 */
@ApplicationScoped
public class UpgradeRequestValidator {

    private static final Logger LOG = Logger.getLogger(UpgradeRequestValidator.class);

    @Inject
    GatewayMetrics metrics;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::validate);
    }

    private void validate(RoutingContext context) {
        HttpServerRequest request = context.request();
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        if (upgrade == null || !"websocket".equalsIgnoreCase(upgrade.trim())) {
            context.next();
            return;
        }
        String problem = problem(request);
        if (problem == null) {
            context.addEndHandler(ended -> {
                if (context.response().getStatusCode() == 404) {
                    metrics.upgradeRefused(404, "unknown_path");
                }
            });
            context.next();
            return;
        }
        boolean badVersion = problem.startsWith("Sec-WebSocket-Version");
        int status = badVersion ? 426 : 400;
        LOG.debugf("malformed upgrade from %s to %s: %s", request.remoteAddress(), request.path(), problem);
        metrics.upgradeRefused(status, "malformed");
        if (badVersion) {
            context.response().putHeader("Sec-WebSocket-Version", "13");
        }
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONNECTION, "close")
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(problem + "\n");
    }

    /** @return what is wrong with an upgrade request, or {@code null} when it is well-formed */
    static String problem(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET) {
            return "a WebSocket upgrade must be a GET request, not " + request.method();
        }
        String version = request.getHeader("Sec-WebSocket-Version");
        if (version == null || !version.trim().equals("13")) {
            return "Sec-WebSocket-Version must be 13";
        }
        String key = request.getHeader("Sec-WebSocket-Key");
        if (key == null) {
            return "Sec-WebSocket-Key is missing";
        }
        try {
            if (Base64.getDecoder().decode(key.trim()).length != 16) {
                return "Sec-WebSocket-Key must be the base64 of 16 bytes";
            }
        } catch (IllegalArgumentException e) {
            return "Sec-WebSocket-Key is not base64";
        }
        return null;
    }
}
