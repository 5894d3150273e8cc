package io.realtimegateway.session;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.protocol.QueryParameters;
import io.realtimegateway.transport.FrameWriter;
import io.realtimegateway.transport.Terminator;
import io.vertx.core.buffer.Buffer;

/**
 * A WebSocket connection as a {@link ClientLink}: frames through {@link FrameWriter#of} (straight into the channel, with
 * its flow control), cuts through {@link Terminator#of}, closes and pings through the WebSocket API.
 */
final class WebSocketLink implements ClientLink {

    /**
     * The ping payload. Bytes, not a {@link Buffer}: session classes are initialized at build time in a native image,
     * and a Vert.x buffer (a Netty {@code ByteBuf}) may not be in the image heap; each ping wraps them in a new one.
     */
    private static final byte[] PING = {'h', 'b'};

    private final WebSocketConnection connection;
    private final FrameWriter writer;
    private final Terminator terminator;

    WebSocketLink(WebSocketConnection connection) {
        this.connection = connection;
        this.writer = FrameWriter.of(connection);
        this.terminator = Terminator.of(connection);
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public UserData userData() {
        return connection.userData();
    }

    @Override
    public String parameter(String name) {
        return QueryParameters.first(connection.handshakeRequest().query(), name);
    }

    @Override
    public FrameWriter writer() {
        return writer;
    }

    @Override
    public void close(CloseReason reason) {
        connection.close(reason).subscribe().with(ok -> {
        }, failure -> {
        });
    }

    @Override
    public CloseReason closeReason() {
        return connection.closeReason();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void ping(Runnable taken) {
        connection.sendPing(Buffer.buffer(PING)).subscribe().with(ok -> {
        }, ignored -> {
        });
    }

    @Override
    public void terminate() {
        terminator.terminate();
    }
}
