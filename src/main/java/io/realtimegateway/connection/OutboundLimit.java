package io.realtimegateway.connection;

/** The outbound queue bound of a connection and what to do when a connection exceeds it. */
public interface OutboundLimit {

    long maxQueuedBytes();

    /** Called once per offending send, just before the connection is closed with 1013. Must not block. */
    void onExceeded(ClientSession session);
}
