package io.realtimegateway.presence;

import java.util.List;

import io.realtimegateway.broadcast.Broadcaster;
import io.smallrye.mutiny.Uni;

/**
 * Presence of one instance, in its memory, for the {@code memory} broker: this instance's connections are all there
 * is. Diffs are sent as they happen ({@link Broadcaster#toPresence}), on the caller's thread. A query copies one room's
 * user list
 * (10,000 users: well under a millisecond).
 */
public final class MemoryPresence implements Presence {

    private final LocalMembers members = new LocalMembers();
    private final Broadcaster broadcaster;

    public MemoryPresence(Broadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    @Override
    public void entered(String room, String user) {
        if (members.add(room, user)) {
            diff(room, List.of(user), List.of());
        }
    }

    @Override
    public void exited(String room, String user) {
        if (members.remove(room, user)) {
            diff(room, List.of(), List.of(user));
        }
    }

    @Override
    public Uni<List<String>> users(String room) {
        return Uni.createFrom().item(members.users(room));
    }

    @Override
    public String name() {
        return "memory";
    }

    private void diff(String room, List<String> joined, List<String> left) {
        broadcaster.toPresence(room, joined, left);
    }
}
