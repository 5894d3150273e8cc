package io.realtimegateway.connection;

/**
 * What a {@link ClientSession} asks of the server about its outbound traffic: the queue bound, and where to report
 * sends and overflows. Implementations must be thread-safe and must not block.
 */
public interface OutboundPolicy {

    /** The most bytes that may wait to be written to one connection. */
    long maxQueuedBytes();

    /** Called for every frame queued to a connection. */
    void onSent(int bytes);

    /** Called once per offending send, just before the connection is closed with 1013. */
    void onExceeded(ClientSession session);
}
