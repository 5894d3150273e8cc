package io.realtimegateway.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;

/**
 * Tells the connection about every ping frame its peer sends, before Vert.x answers it with a pong, so that pings
 * count toward the connection's inbound rate like messages do ({@link FrameWriter#onPing}). The ping itself always
 * passes on: RFC 6455 asks for a pong to every ping, so a peer over its rate is closed (the listener's decision), never
 * left unanswered. Per channel; confined to its event loop.
 */
final class PingTap extends ChannelInboundHandlerAdapter {

    /** The pipeline name of this handler. */
    static final String NAME = "realtime-gateway-ping-tap";

    private volatile Runnable listener = () -> {
    };

    void listen(Runnable onPing) {
        this.listener = onPing;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PingWebSocketFrame) {
            listener.run();
        }
        ctx.fireChannelRead(msg);
    }
}
