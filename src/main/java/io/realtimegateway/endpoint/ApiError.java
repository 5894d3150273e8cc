package io.realtimegateway.endpoint;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of every error answer of the REST API.
 *
 * @param code a machine code from {@link io.realtimegateway.protocol.ErrorCode}
 * @param message a sentence for the caller
 */
@RegisterForReflection
public record ApiError(String code, String message) {
}
