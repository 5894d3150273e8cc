package io.realtimegateway.session;

import io.realtimegateway.message.Topic;

/**
 * Told when this instance gains its first or loses its last local connection for a topic, so that a distributed
 * broker subscribes only to what local connections need.
 * <p>
 * Threading: called on the thread that changed the membership (usually an event loop), while the registry holds the
 * lock of that topic's entry; an implementation must return quickly and must not block or call back into the registry.
 * For one topic, {@code first} and {@code last} calls alternate and never overlap.
 */
public interface LocalTopicListener {

    void firstLocal(Topic topic);

    void lastLocalGone(Topic topic);

    LocalTopicListener NONE = new LocalTopicListener() {
        @Override
        public void firstLocal(Topic topic) {
        }

        @Override
        public void lastLocalGone(Topic topic) {
        }
    };
}
