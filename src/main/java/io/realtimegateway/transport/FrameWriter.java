package io.realtimegateway.transport;

import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * Writes text frames to one connection. The writer {@link TransportSetup} attaches writes the frame's shared bytes
 * straight into the connection's Netty pipeline, where the WebSocket encoder frames them: no per-recipient encoding,
 * no per-recipient {@code Uni}. A connection without one falls back to {@link WebSocketConnection#sendText(String)}.
 * <p>
 * Ordering: frames written from one thread reach the socket in the order written (Netty queues writes from other
 * threads onto the channel's event loop in order). Threading: any thread; never blocks.
 */
@FunctionalInterface
public interface FrameWriter {

    /**
     * Queues {@code frame}; {@code done} runs once it was written to the socket or failed (the connection closed).
     */
    void write(OutboundFrame frame, Runnable done);

    UserData.TypedKey<FrameWriter> KEY = new UserData.TypedKey<>("realtime-gateway.frame-writer");

    static void attach(UserData userData, FrameWriter writer) {
        userData.put(KEY, writer);
    }

    /** The connection's writer. */
    static FrameWriter of(WebSocketConnection connection) {
        FrameWriter writer = connection.userData().get(KEY);
        if (writer != null) {
            return writer;
        }
        return (frame, done) -> connection.sendText(frame.text()).subscribe().with(ok -> done.run(),
                failure -> done.run());
    }
}
