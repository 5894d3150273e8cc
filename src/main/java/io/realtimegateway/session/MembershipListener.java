package io.realtimegateway.session;

/**
 * Told of every chat connection that enters or leaves a room on this instance (by {@code join}, {@code leave}, or its
 * close, whatever ended it: the client, the heartbeat, a drain). For presence. Called on the thread that changed the
 * membership; must not block.
 */
public interface MembershipListener {

    MembershipListener NONE = new MembershipListener() {
        @Override
        public void entered(ClientSession session, String room) {
        }

        @Override
        public void exited(ClientSession session, String room) {
        }
    };

    void entered(ClientSession session, String room);

    void exited(ClientSession session, String room);
}
