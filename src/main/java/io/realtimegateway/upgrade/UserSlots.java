package io.realtimegateway.upgrade;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The connection slots each user holds on this instance: a slot is taken atomically when an upgrade is admitted and
 * given back when its TCP connection ends, so concurrent upgrades of one user, on any event loops, never pass the cap
 * together. Thread-safe and non-blocking (one map operation per call).
 */
@ApplicationScoped
public class UserSlots {

    private final ConcurrentMap<String, Integer> held = new ConcurrentHashMap<>();

    /** @return {@code true} when {@code user} held fewer than {@code max} slots and now holds one more */
    public boolean tryTake(String user, int max) {
        boolean[] taken = { false };
        held.compute(user, (u, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Gives one slot of {@code user} back. */
    public void giveBack(String user) {
        held.computeIfPresent(user, (u, count) -> count <= 1 ? null : count - 1);
    }

    /** The slots {@code user} holds now. */
    public int held(String user) {
        return held.getOrDefault(user, 0);
    }
}
