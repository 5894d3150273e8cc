package io.realtimegateway.transport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.quarkus.websockets.next.UserData;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.metrics.GatewayMetrics;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Prepares the TCP channel of every upgrade that all other checks admitted: puts a UTF-8 validator and a
 * {@link FrameErrorCloser} into its pipeline, so that frame errors on the WebSocket get their RFC 6455 close code, an
 * {@link OutboundFlow}, which judges whether the peer reads, and an {@link EmptyFirstFragmentCarrier}, without which
 * Vert.x loses a fragmented message that starts with an empty fragment; takes out the HTTP server's idle timer; and
 * remembers the channel on the connection: the {@link FrameWriter} writes into it, and the {@link Terminator}
 * cuts a dead or stuck peer there without a close handshake. Called by the last upgrade check
 * ({@code upgrade.TransportCheck}); it never refuses an upgrade.
 * <p>
 * The channel comes from {@link UpgradeChannel}; a connection of another kind is left as it is.
 */
@ApplicationScoped
public class TransportSetup {

    private static final String UTF8_VALIDATOR = "realtime-gateway-utf8-validator";

    /** The name Vert.x gives the HTTP connection's {@link IdleStateHandler} (checked in vertx-core 4.5.27). */
    static final String HTTP_IDLE_TIMER = "idle";

    private final FrameErrorCloser closer;
    private final FlowLimits limits;

    @Inject
    public TransportSetup(GatewayMetrics metrics, GatewayConfig config) {
        this.closer = new FrameErrorCloser(metrics::frameErrorClosed);
        this.limits = FlowLimits.of(config.outbound());
    }

    /**
     * Starts the event stream of an admitted request of the HTTP fallback transport ({@link SseStream}), with the same
     * outbound limits as a WebSocket. Called on the request's event loop.
     */
    public SseStream openEventStream(HttpServerResponse response) {
        return new SseStream(response, limits);
    }

    /** Prepares the channel of an admitted upgrade {@code request} and attaches it to the connection's user data. */
    public void prepare(HttpServerRequest request, UserData userData) {
        Channel channel = UpgradeChannel.of(request);
        if (channel != null) {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(FrameErrorCloser.NAME) == null && pipeline.get("handler") != null) {
                // Vert.x does not check that text frames are UTF-8 (RFC 6455 asks for 1007): Netty's validator does,
                // between the frame decoder and the closer, which turns its complaint into the close frame.
                pipeline.addBefore("handler", UTF8_VALIDATOR, new Utf8FrameValidator(false));
                pipeline.addBefore("handler", FrameErrorCloser.NAME, closer);
                // Judges whether the peer reads, from the channel's writability (OutboundFlow).
                pipeline.addBefore("handler", OutboundFlow.NAME, new OutboundFlow(limits));
                // Lets the connection count its peer's pings toward the inbound rate (PingTap).
                pipeline.addBefore("handler", PingTap.NAME, new PingTap());
                // Vert.x loses a fragmented message whose first fragment is empty (EmptyFirstFragmentCarrier).
                pipeline.addBefore("handler", EmptyFirstFragmentCarrier.NAME, new EmptyFirstFragmentCarrier());
            }
            // The HTTP server's idle timer (quarkus.http.idle-timeout) would stay on the WebSocket for its whole life,
            // a scheduled task per connection; the heartbeat ends dead peers instead (HeartbeatJob).
            if (pipeline.get(HTTP_IDLE_TIMER) instanceof IdleStateHandler) {
                pipeline.remove(HTTP_IDLE_TIMER);
            }
            // Frames are written straight into this channel (ChannelFrameWriter), and a stuck peer is cut there
            // (Terminator).
            FrameWriter.attach(userData, channel);
        }
    }
}
