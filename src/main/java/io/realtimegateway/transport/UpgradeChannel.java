package io.realtimegateway.transport;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under an HTTP request, for the upgrade checks that work on the TCP connection itself (its
 * pipeline, its lifetime). The one place the gateway depends on a Vert.x implementation class
 * ({@code ConnectionBase#channel()}). Without it the gateway falls back to the WebSocket API, without flow control,
 * frame-error closes or the exact per-user cap, and {@code OutboundFlowControlTest},
 * {@code MalformedFramesGetTheirCloseCodesTest} and {@code UpgradeRateAndUserLimitsTest} fail: a Vert.x change that
 * hides the channel is caught there.
 */
public final class UpgradeChannel {

    private UpgradeChannel() {
    }

    /** @return the request's channel, or {@code null} for a connection of another kind */
    public static Channel of(HttpServerRequest request) {
        return request.connection() instanceof ConnectionBase connection ? connection.channel() : null;
    }

    /**
     * Runs {@code action} once when the request's TCP connection closes, whether or not it ever became a WebSocket.
     *
     * @return {@code false}, and nothing is run, when the channel is unknown (a connection of another kind)
     */
    public static boolean whenClosed(HttpServerRequest request, Runnable action) {
        Channel channel = of(request);
        if (channel == null) {
            return false;
        }
        channel.closeFuture().addListener(closed -> action.run());
        return true;
    }

    /** Whether the request's TCP channel is known, so {@link #whenClosed} will run its action. */
    public static boolean known(HttpServerRequest request) {
        return of(request) != null;
    }
}
