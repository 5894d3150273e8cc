package io.realtimegateway.transport;

import java.util.function.IntConsumer;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.AttributeKey;

/**
 * Answers a frame the WebSocket decoder rejects with the close code RFC 6455 asks for, instead of a silent TCP reset:
 * {@code 1002} for a protocol violation (reserved bits, unmasked client frame, unknown opcode, bad fragment order),
 * {@code 1007} for invalid UTF-8 in a text frame, {@code 1009} for a frame over the size limit. Exactly one close
 * frame is sent (RFC 6455 5.5.1), after the messages decoded before the bad frame were handled, and the TCP
 * connection is closed right after it is written; the endpoint's close callback runs as for any other close, and
 * {@link FrameWriter#closeCodeSent()} tells the code.
 * <p>
 * Vert.x configures its decoder not to close on protocol violations and then resets the connection on the resulting
 * exception, which a client sees as {@code 1006}. This handler sits in the channel pipeline between the decoder and
 * Vert.x and takes those exceptions first. Stateless and sharable.
 */
@io.netty.channel.ChannelHandler.Sharable
final class FrameErrorCloser extends ChannelInboundHandlerAdapter {

    /** The pipeline name of this handler. */
    static final String NAME = "realtime-gateway-frame-error-closer";

    /** The close code this handler sent on a channel, for the close metric. */
    static final AttributeKey<Integer> SENT = AttributeKey.valueOf("realtime-gateway.close-code-sent");

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
        if (ctx.channel().isActive() && ctx.channel().attr(SENT).setIfAbsent(status.code()) == null) {
            // Once per channel, as a task behind those already queued on the event loop: websockets-next runs each
            // message callback as such a task, so the messages decoded before the bad frame, in the same read, are
            // handled (an echo written) before the close. The decoder discards everything after the bad frame.
            ctx.executor().execute(() -> close(ctx, status));
        }
    }

    private static void close(ChannelHandlerContext ctx, WebSocketCloseStatus status) {
        if (ctx.channel().isActive()) {
            // Both from this handler's context, towards the socket: a close from the pipeline's tail would pass
            // Vert.x's handler, which answers it with a second close frame (1000) and holds TCP for its closing
            // timeout.
            ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), reason(status))).addListener(done -> ctx.close());
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
