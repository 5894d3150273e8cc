package io.realtimegateway.upgrade;

import java.util.function.Consumer;

import io.quarkus.websockets.next.HttpUpgradeCheck.HttpUpgradeContext;
import io.quarkus.websockets.next.UserData;
import io.realtimegateway.transport.UpgradeChannel;

/**
 * How an admission check learns when the connection it admits ends, whatever carries it: an event stream of the HTTP
 * fallback says so itself (its admission puts a hook into the user data, {@link #attach}); a WebSocket ends with its
 * TCP connection ({@link UpgradeChannel#whenClosed}).
 */
final class ConnectionEnd {

    private static final UserData.TypedKey<Consumer<Runnable>> HOOK = new UserData.TypedKey<>(
            "realtime-gateway.connection-end");

    private ConnectionEnd() {
    }

    /** Makes {@code hook} the way to be told of the end of the connection being admitted. */
    static void attach(UserData userData, Consumer<Runnable> hook) {
        userData.put(HOOK, hook);
    }

    /** Whether {@link #whenEnded} will run its action. */
    static boolean known(HttpUpgradeContext context) {
        return context.userData().get(HOOK) != null || UpgradeChannel.known(context.httpRequest());
    }

    /**
     * Runs {@code action} once when the admitted connection ends (or its admission fails later).
     *
     * @return {@code false}, and nothing is run, when the end cannot be known
     */
    static boolean whenEnded(HttpUpgradeContext context, Runnable action) {
        Consumer<Runnable> hook = context.userData().get(HOOK);
        if (hook != null) {
            hook.accept(action);
            return true;
        }
        return UpgradeChannel.whenClosed(context.httpRequest(), action);
    }
}
