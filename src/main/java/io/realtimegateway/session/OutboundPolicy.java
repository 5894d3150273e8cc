package io.realtimegateway.session;

/**
 * Where a {@link ClientSession} reports its outbound traffic: sends, and peers found slow. Implementations must be
 * thread-safe and must not block.
 */
public interface OutboundPolicy {

    /** Called for every frame queued to a connection. */
    void onSent(int bytes);

    /**
     * Called at most once per connection, when it is found slow while open (its socket takes no more, or its recovery
     * holds too many live messages), just before it is closed with 1013.
     */
    void onExceeded(ClientSession session);
}
