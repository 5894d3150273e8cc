package io.realtimegateway.presence;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * Who is in each room: the users with at least one chat connection joined to it, on any instance. The in-memory
 * implementation serves one instance; the Redis implementation serves many. Both keep this contract, which one shared
 * test suite checks through real clients.
 * <p>
 * Guarantees: a user is listed once however many connections (tabs) they have in the room; a user whose last
 * connection leaves, closes or is cut (heartbeat, drain) is no longer listed. When a user enters or leaves a room,
 * one {@code presence_diff} event goes to the room's presence topic ({@code Topic#presence}): {@code joined} when the
 * user's first connection anywhere enters, {@code left} when the last one anywhere goes. With Redis, an instance that
 * dies without cleaning up (SIGKILL, lost machine) stops counting after {@code gateway.presence.instance-timeout}, and
 * its users are announced as left within one more {@code gateway.presence.refresh-interval}.
 * <p>
 * Consistency: eventual across instances, in the order Redis executes the changes; a query sees every change whose
 * call was made before it on the same instance. Threading: never blocks; {@link #entered} and {@link #exited} may be
 * called from any thread.
 */
public interface Presence {

    /** A connection of {@code user} on this instance entered {@code room}. */
    void entered(String room, String user);

    /** A connection of {@code user} on this instance left {@code room}. */
    void exited(String room, String user);

    /** The users in {@code room}, each once, in no particular order; fails when the store is unreachable. */
    Uni<List<String>> users(String room);

    /** A short name for logs: {@code memory} or {@code redis}. */
    String name();

    /**
     * Upkeep, called every {@code gateway.presence.refresh-interval}: with Redis, renews this instance's liveness,
     * removes instances that stopped renewing theirs, and re-synchronises this instance's part when it may have
     * diverged. Never blocks.
     */
    default void refresh() {
    }

    /** Why presence cannot be kept right now, or {@code null} when it can. */
    default String problem() {
        return null;
    }
}
