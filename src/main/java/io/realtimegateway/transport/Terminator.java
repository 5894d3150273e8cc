package io.realtimegateway.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Ends a connection at once, without a close handshake: the TCP connection is closed and the client sees 1006, as with
 * the {@code ws} library's {@code terminate()}. For peers that no longer answer (heartbeat) or never finish closing
 * (drain timeout). Non-blocking, safe to call more than once.
 */
@FunctionalInterface
public interface Terminator {

    void terminate();

    /**
     * The connection's terminator: it closes the TCP channel the upgrade remembered ({@link FrameWriter#attach}) from
     * the pipeline's first handler, which goes straight to the socket (Vert.x's own handler, further in, would turn a
     * close into a WebSocket closing handshake that waits for the peer). For a connection without a channel, a close
     * with 1001 is the nearest thing.
     */
    static Terminator of(WebSocketConnection connection) {
        Channel channel = connection.userData().get(FrameWriter.CHANNEL);
        if (channel != null) {
            return cutting(channel);
        }
        return () -> connection.close(new CloseReason(1001, "terminated")).subscribe().with(ok -> {
        }, ignored -> {
        });
    }

    /** Closes {@code channel}'s socket from the pipeline's first handler, without a close handshake. */
    static Terminator cutting(Channel channel) {
        return () -> {
            ChannelHandlerContext first = channel.pipeline().firstContext();
            if (first != null) {
                first.close();
            } else {
                channel.close();
            }
        };
    }
}
