package io.realtimegateway.broadcast;

import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.smallrye.mutiny.Uni;

/**
 * Carries encoded messages from a publisher to the connections of a topic on every instance that has any. The
 * in-memory broker serves one instance; a distributed broker (Redis) serves many. Both keep this contract, which one
 * shared test suite checks.
 * <p>
 * Delivery: at most once, never twice. Every connection of the topic that is open on some instance when the message
 * reaches that instance receives it once, except {@link Delivery#excludeConnection()}; connections that join later do
 * not, and a connection closed as a slow consumer gets nothing more. (A recovering connection may hold a message back
 * until its replay is sent, or drop it as already replayed.) With Redis, a numbered message that is lost on its way to
 * an instance reaches that instance's members later, from the history, or they are told to {@code resync}.
 * The publishing instance's own connections get it at once; when the message cannot be handed to the other instances
 * (Redis down) the returned {@code Uni} fails, so the caller can tell its publisher that it reached only this
 * instance.
 * <p>
 * Ordering: messages published to one topic from one thread, each after the previous {@code publish} call returned,
 * reach every connection in that order.
 * <p>
 * Threading: {@link #publish} never blocks and may be called from any thread, including event loops.
 */
public interface Broker {

    /**
     * Hands a message to the broker.
     *
     * @return completes when the broker has accepted the message (not when every recipient has it); fails when it
     *         could not be accepted
     */
    Uni<Void> publish(Delivery delivery);

    /** A short name for logs and health checks: {@code memory} or {@code redis}. */
    String name();

    /**
     * Completes once messages published anywhere to {@code topic} reach this instance's connections (a distributed
     * broker subscribes asynchronously). The chat service acknowledges a join only then, so a member misses nothing
     * published after its ack. Completes at once for the memory broker, when the topic's subscription was not asked
     * for yet (call it after the connection joined the topic), and when the broker is down; with Redis it also
     * completes when the subscription failed or was not confirmed within 2 s (the member then gets what Redis delivers
     * once the subscription holds, and the gap filling of the broker brings the rest).
     */
    default Uni<Void> subscribed(Topic topic) {
        return Uni.createFrom().voidItem();
    }

    /** Why messages cannot reach other instances right now, or {@code null} when they can (or there are none). */
    default String problem() {
        return null;
    }
}
