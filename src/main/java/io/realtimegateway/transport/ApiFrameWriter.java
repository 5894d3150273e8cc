package io.realtimegateway.transport;

import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.protocol.OutboundFrame;
import io.vertx.core.buffer.Buffer;

/**
 * Writes through the WebSocket API ({@link WebSocketConnection#sendText(String)}, {@code sendBinary} for a binary
 * frame): the frame is encoded again for every recipient, and every write makes a {@code Uni}. The fallback where no
 * channel is known. Threading as {@link FrameWriter} states; ordering only for writes from one thread (Vert.x queues
 * writes onto the connection's event loop in call order, but writes at once from that loop itself, so a write from
 * there may overtake one queued from another thread). It has no flow control: nothing is reported slow and nothing
 * is paced.
 */
final class ApiFrameWriter implements FrameWriter {

    private final WebSocketConnection connection;

    ApiFrameWriter(WebSocketConnection connection) {
        this.connection = connection;
    }

    @Override
    public void write(OutboundFrame frame, Runnable done) {
        var sent = frame.isBinary() ? connection.sendBinary(Buffer.buffer(frame.binaryBody()))
                : connection.sendText(frame.text());
        sent.subscribe().with(ok -> done.run(), failure -> done.run());
    }

    @Override
    public void closeAfterWrites(Runnable close) {
        close.run();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }
}
