package io.realtimegateway.transport;

import io.netty.channel.Channel;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * Writes server frames to one connection, and runs its close after them.
 * <p>
 * Ordering: frames written, and a close requested, reach the socket in call order: from one thread, or from several
 * whose calls happen one after another: a frame is never overtaken by one written after it. Threading: any
 * thread; never blocks.
 */
public interface FrameWriter {

    /**
     * Queues {@code frame}; {@code done} runs exactly once, when it was written to the socket, failed, or was skipped
     * because the connection closed meanwhile.
     */
    void write(OutboundFrame frame, Runnable done);

    /** Queues {@code frame} when nobody needs to know when it was written (a broadcast's recipients). */
    default void write(OutboundFrame frame) {
        write(frame, () -> {
        });
    }

    /**
     * Runs {@code close} after every frame written before this call. Where the channel is known, a peer that does not
     * complete the close within {@code gateway.outbound.close-timeout} is then cut at TCP level.
     */
    void closeAfterWrites(Runnable close);

    /**
     * The close code the transport itself sent (a frame error: 1002, 1007, 1009), which the WebSocket API does not
     * report; 0 when it sent none (the default, for a writer without a channel).
     */
    default int closeCodeSent() {
        return 0;
    }

    /**
     * Whether the socket takes more bytes now; meaningful on the connection's event loop. The default, for a writer
     * without flow control, is always.
     */
    default boolean isWritable() {
        return true;
    }

    /** Bytes waiting for the peer to read them: written, and not yet taken by the kernel; 0 by default. */
    default long pendingBytes() {
        return 0;
    }

    /**
     * Runs {@code task} on the connection's event loop once its socket takes more bytes (at once if it does), or once
     * it closed; for senders of many frames (a replay) that should go as fast as the peer reads, not faster. The
     * default runs it at once.
     */
    default void whenWritable(Runnable task) {
        task.run();
    }

    /**
     * Where to report, once, that the peer does not read (see {@code OutboundFlow}): the caller closes it with 1013.
     * Any thread. By default nothing is ever reported.
     */
    default void onSlow(Runnable action) {
    }

    /**
     * Where to report every ping frame the peer sends, on the connection's event loop, before it is answered: the
     * caller counts it toward the inbound rate. Any thread. By default nothing is reported.
     */
    default void onPing(Runnable action) {
    }

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
     * one and put an {@link OutboundFlow} into its pipeline, otherwise through the WebSocket API (without flow
     * control).
     */
    static FrameWriter of(WebSocketConnection connection) {
        Channel channel = connection.userData().get(CHANNEL);
        OutboundFlow flow = channel == null ? null : channel.pipeline().get(OutboundFlow.class);
        if (flow != null) {
            return new ChannelFrameWriter(channel, flow, new ApiFrameWriter(connection));
        }
        return new ApiFrameWriter(connection);
    }
}
