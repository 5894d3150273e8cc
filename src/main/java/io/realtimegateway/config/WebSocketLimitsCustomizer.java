package io.realtimegateway.config;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Applies {@code gateway.limits.max-message-size} to both the largest WebSocket frame and the largest reassembled
 * message the HTTP server accepts, so that one key bounds what a client can make the server buffer. Vert.x closes an
 * offending connection with 1009 before any endpoint code sees the data.
 */
@Dependent
public class WebSocketLimitsCustomizer implements HttpServerOptionsCustomizer {

    @Inject
    GatewayConfig config;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private void apply(HttpServerOptions options) {
        int max = config.limits().maxMessageSize();
        options.setMaxWebSocketFrameSize(max);
        options.setMaxWebSocketMessageSize(max);
    }
}
