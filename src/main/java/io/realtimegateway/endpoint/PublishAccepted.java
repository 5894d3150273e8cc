package io.realtimegateway.endpoint;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of a {@code 202} answer of the publish API.
 *
 * @param id the id the message carries to its recipients
 */
@RegisterForReflection
public record PublishAccepted(String id) {
}
