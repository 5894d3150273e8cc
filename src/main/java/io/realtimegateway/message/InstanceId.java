package io.realtimegateway.message;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This process's id, unique among the instances that share a Redis: the origin of what it publishes, its part of
 * presence, the prefix of the ids it issues, its own history epoch while Redis is away. Drawn once per process at run
 * time (never in a native image's build), 11 to 12 base-36 characters.
 */
@ApplicationScoped
public class InstanceId {

    private final String value = Long.toString(new SecureRandom().nextLong() >>> 1, 36);

    /** The id. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
