package io.realtimegateway.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Keeps a fragmented message whose first fragment is empty (RFC 6455 allows it; Autobahn cases 6.1.2 and 6.1.3):
 * Vert.x's message aggregator ({@code WebSocketImplBase.FrameAggregator}, checked against Vert.x 4.5.27) decides
 * which message a continuation frame belongs to by whether the text or binary buffer is non-empty, so after an empty
 * first fragment it drops every continuation and the message is lost. This handler, just before Vert.x's, holds such
 * a first fragment back and gives its type to the next continuation instead (a text or binary frame with that
 * continuation's payload and FIN bit), again while the continuations are empty too. Control frames pass untouched.
 * {@code EchoOfEveryMessageTest} fails if this stops working.
 * <p>
 * One instance per channel (it remembers the pending fragment's type); runs on the channel's event loop.
 */
final class EmptyFirstFragmentCarrier extends ChannelInboundHandlerAdapter {

    /** The pipeline name of this handler. */
    static final String NAME = "realtime-gateway-empty-first-fragment";

    private static final int NONE = 0;
    private static final int TEXT = 1;
    private static final int BINARY = 2;

    /** The type of a held-back empty first fragment, or {@link #NONE}. */
    private int pending = NONE;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ContinuationWebSocketFrame continuation && pending != NONE) {
            if (!continuation.isFinalFragment() && !continuation.content().isReadable()) {
                continuation.release(); // still nothing: the type waits for the next continuation
                return;
            }
            boolean fin = continuation.isFinalFragment();
            WebSocketFrame first = pending == TEXT
                    ? new TextWebSocketFrame(fin, continuation.rsv(), continuation.content())
                    : new BinaryWebSocketFrame(fin, continuation.rsv(), continuation.content());
            pending = NONE;
            ctx.fireChannelRead(first);
            return;
        }
        if ((msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) && isEmptyFirstFragment(msg)) {
            pending = msg instanceof TextWebSocketFrame ? TEXT : BINARY;
            ((WebSocketFrame) msg).release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isEmptyFirstFragment(Object msg) {
        WebSocketFrame frame = (WebSocketFrame) msg;
        return !frame.isFinalFragment() && !frame.content().isReadable();
    }
}
