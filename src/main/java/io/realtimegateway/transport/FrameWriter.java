package io.realtimegateway.transport;

import io.netty.channel.Channel;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * Writes server frames to one connection, and runs its close after them.
 * <p>
 * Ordering: frames written, and a close requested, from one thread reach the socket in that order. Threading: any
 * thread; never blocks.
 */
public interface FrameWriter {

    /**
     * Queues {@code frame}; {@code done} runs exactly once, when it was written to the socket, failed, or was skipped
     * because the connection closed meanwhile.
     */
    void write(OutboundFrame frame, Runnable done);

    /** Runs {@code close} after every frame written before this call. */
    void closeAfterWrites(Runnable close);

    /**
     * Whether the connection can still take frames. Cheap and lock-free where the channel is known (the socket is
     * open), so that a broadcast can ask it of every recipient.
     */
    boolean isOpen();

    UserData.TypedKey<Channel> CHANNEL = new UserData.TypedKey<>("realtime-gateway.channel");

    /** Remembers the connection's Netty channel, at the upgrade, for {@link #of}. */
    static void attach(UserData userData, Channel channel) {
        userData.put(CHANNEL, channel);
    }

    /**
     * The writer for a connection: straight to its channel ({@link ChannelFrameWriter}) where the upgrade attached
     * one, otherwise through the WebSocket API.
     */
    static FrameWriter of(WebSocketConnection connection) {
        Channel channel = connection.userData().get(CHANNEL);
        if (channel != null) {
            return new ChannelFrameWriter(channel, new ApiFrameWriter(connection));
        }
        return new ApiFrameWriter(connection);
    }
}
