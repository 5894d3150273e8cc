package io.realtimegateway.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.message.CloseCodes;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.ServerFrames;
import io.vertx.core.http.HttpClosedException;

/**
 * What happens when the WebSocket framework reports a failure on a connection (an endpoint's {@code @OnError}), in
 * this order:
 * <ol>
 * <li>a reassembled message over {@code gateway.limits.max-message-size} ({@link #isMessageTooBig}): the connection is
 * closed with 1009;</li>
 * <li>a failure of a connection that is already closed (or an {@link HttpClosedException}): logged at debug level,
 * nothing else;</li>
 * <li>anything else (a callback threw): logged as an error with the connection id, counted
 * ({@code gateway.handler.failures}), and the client gets an {@code error} frame ({@code internal}, without
 * {@code ref}) and keeps its connection. The server and other clients are not affected.</li>
 * </ol>
 * Called on the connection's event loop. Non-blocking.
 */
@ApplicationScoped
public class EndpointErrors {

    private static final Logger LOG = Logger.getLogger(EndpointErrors.class);

    @Inject
    ConnectionRegistry registry;

    @Inject
    GatewayMetrics metrics;

    public void handle(Endpoint endpoint, Throwable failure, WebSocketConnection connection) {
        ClientSession session = registry.get(connection.id());
        if (isMessageTooBig(failure)) {
            LOG.debugf("closing %s connection %s: %s", endpoint.tag(), connection.id(), failure.getMessage());
            if (session != null) {
                session.close(CloseCodes.MESSAGE_TOO_BIG);
            } else {
                connection.close(CloseCodes.MESSAGE_TOO_BIG).subscribe().with(ok -> {
                }, ignored -> {
                });
            }
            return;
        }
        if (failure instanceof HttpClosedException || connection.isClosed()) {
            LOG.debugf("%s connection %s ended: %s", endpoint.tag(), connection.id(), failure.toString());
            return;
        }
        LOG.errorf(failure, "failure on %s connection %s", endpoint.tag(), connection.id());
        metrics.handlerFailed(endpoint);
        if (session != null) {
            session.send(ServerFrames.error(null, ErrorCode.INTERNAL, "the server failed to handle your message"));
        }
    }

    /**
     * Whether a failure is Vert.x's report of a message, reassembled from fragments, over the server's
     * {@code maxWebSocketMessageSize}. Vert.x has no exception type or code for it: it passes an
     * {@link IllegalStateException} whose message ends "... to overflow max message size of N" to the exception
     * handler and keeps the connection open ({@code WebSocketImplBase.FrameAggregator#handleTextFrame} and
     * {@code #handleBinaryFrame}, checked in vertx-core 4.5.27, the version of Quarkus 3.33.2). So the text is the
     * only sign, and this is the gateway's only match on an exception's message text. A single frame over the limit
     * never comes here: Netty's decoder refuses it and the transport closes with 1009 itself.
     * <p>
     * If Vert.x changes the text, {@code OversizedMessageClosesWith1009Test#aFragmentedMessageOverTheLimitCloses1009}
     * and {@code #aFragmentedBinaryMessageOverTheLimitCloses1009} fail: the connection would get an {@code internal}
     * error and stay open instead of closing with 1009.
     */
    private static boolean isMessageTooBig(Throwable failure) {
        return failure instanceof IllegalStateException
                && failure.getMessage() != null
                && failure.getMessage().contains("overflow max message size");
    }
}
