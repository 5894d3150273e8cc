package io.realtimegateway.transport;

import java.util.function.IntConsumer;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Answers a frame the WebSocket decoder rejects with the close code RFC 6455 asks for, instead of a silent TCP reset:
 * {@code 1002} for a protocol violation (reserved bits, unmasked client frame, unknown opcode, bad fragment order),
 * {@code 1007} for invalid UTF-8 in a text frame, {@code 1009} for a frame over the size limit. The connection is
 * closed right after the close frame is written; the endpoint's close callback runs as for any other close.
 * <p>
 * Vert.x configures its decoder not to close on protocol violations and then resets the connection on the resulting
 * exception, which a client sees as {@code 1006}. This handler sits in the channel pipeline between the decoder and
 * Vert.x and takes those exceptions first. Stateless and sharable.
 */
@io.netty.channel.ChannelHandler.Sharable
final class FrameErrorCloser extends ChannelInboundHandlerAdapter {

    /** The pipeline name of this handler. */
    static final String NAME = "realtime-gateway-frame-error-closer";

    private static final Logger LOG = Logger.getLogger(FrameErrorCloser.class);

    private final IntConsumer onClose;

    /** @param onClose told the close code of every connection this handler closes; must not block */
    FrameErrorCloser(IntConsumer onClose) {
        this.onClose = onClose;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof CorruptedWebSocketFrameException corrupted)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        WebSocketCloseStatus status = corrupted.closeStatus();
        LOG.debugf("closing %s with %d: %s", ctx.channel().remoteAddress(), status.code(), cause.getMessage());
        onClose.accept(status.code());
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), reason(status)))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String reason(WebSocketCloseStatus status) {
        return switch (status.code()) {
            case 1007 -> "invalid UTF-8 in text frame";
            case 1009 -> "message too big";
            default -> "protocol error";
        };
    }
}
