package io.realtimegateway.config;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Applies {@code gateway.limits.max-message-size} to both the largest WebSocket frame and the largest reassembled
 * message the HTTP server accepts, so that one key bounds what a client can make the server buffer (an offending
 * connection is closed with 1009 before any endpoint code sees the data), and turns WebSocket compression off.
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
        // No compression extensions: permessage-deflate costs a zlib context (hundreds of KiB) per connection and CPU
        // per frame for little gain on small JSON frames. Without extensions, a frame with RSV bits set is a
        // protocol error (1002), as RFC 6455 requires.
        options.setPerMessageWebSocketCompressionSupported(false);
        options.setPerFrameWebSocketCompressionSupported(false);
    }
}
