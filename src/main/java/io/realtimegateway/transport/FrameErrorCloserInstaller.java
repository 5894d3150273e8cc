package io.realtimegateway.transport;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netty.channel.ChannelPipeline;
import io.realtimegateway.metrics.GatewayMetrics;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.security.UpgradeCheckOrder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Puts a {@link FrameErrorCloser} into the channel of every upgrade that all other checks admitted, so that frame
 * errors on the WebSocket that follows get their RFC 6455 close code. It never refuses an upgrade.
 * <p>
 * This reaches into the Vert.x connection for its Netty channel ({@code ConnectionBase#channel()}), the one place the
 * gateway depends on a Vert.x implementation class; a connection of another kind is left as it is.
 */
@ApplicationScoped
@Priority(UpgradeCheckOrder.TRANSPORT)
public class FrameErrorCloserInstaller implements HttpUpgradeCheck {

    private final FrameErrorCloser closer;

    @Inject
    public FrameErrorCloserInstaller(GatewayMetrics metrics) {
        this.closer = new FrameErrorCloser(metrics::frameErrorClosed);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (context.httpRequest().connection() instanceof ConnectionBase connection) {
            ChannelPipeline pipeline = connection.channel().pipeline();
            if (pipeline.get(FrameErrorCloser.NAME) == null && pipeline.get("handler") != null) {
                pipeline.addBefore("handler", FrameErrorCloser.NAME, closer);
            }
        }
        return CheckResult.permitUpgrade();
    }
}
