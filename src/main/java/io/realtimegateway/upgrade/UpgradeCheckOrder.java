package io.realtimegateway.upgrade;

/**
 * The order of the upgrade checks: cheap refusals first, so that a cross-site or abusive request never costs a
 * signature verification. A check with a higher priority runs earlier.
 */
public final class UpgradeCheckOrder {

    /** The echo endpoint switched off: 404, as for an unknown path. */
    public static final int ECHO_SWITCH = 500;
    /** Draining for shutdown: 503. */
    public static final int DRAIN = 400;
    /** Origin allow-list: 403. */
    public static final int ORIGIN = 300;
    /** Upgrades per client address: 429. */
    public static final int RATE = 200;
    /** Token and role: 401, 403. */
    public static final int TOKEN = 100;
    /** Connections per user, after the token named the user: 429. */
    public static final int USER_LIMIT = 50;
    /** Transport set-up of an admitted upgrade; never refuses. */
    public static final int TRANSPORT = 10;

    private UpgradeCheckOrder() {
    }
}
