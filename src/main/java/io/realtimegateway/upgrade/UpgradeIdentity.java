package io.realtimegateway.upgrade;

import io.quarkus.websockets.next.UserData;
import io.realtimegateway.session.ClientLink;
import io.realtimegateway.message.Identity;

/**
 * Carries the {@link Identity} established by the upgrade check to the connection it admits, through the connection's
 * {@link UserData}.
 */
public final class UpgradeIdentity {

    private static final UserData.TypedKey<Identity> KEY = new UserData.TypedKey<>("realtime-gateway.identity");

    private UpgradeIdentity() {
    }

    static void attach(UserData userData, Identity identity) {
        userData.put(KEY, identity);
    }

    /** The identity attached during the upgrade checks, or {@code null} before the token check ran. */
    static Identity of(UserData userData) {
        return userData.get(KEY);
    }

    /**
     * @throws IllegalStateException when the connection was admitted without an identity, which the upgrade checks
     *         make impossible
     */
    public static Identity of(ClientLink link) {
        Identity identity = link.userData().get(KEY);
        if (identity == null) {
            throw new IllegalStateException("connection " + link.id() + " has no identity");
        }
        return identity;
    }
}
