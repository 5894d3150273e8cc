package io.realtimegateway.message;

import java.util.Set;

/**
 * Who is behind a connection, as established from a verified token at the HTTP upgrade. Immutable.
 *
 * @param user the token's {@code sub} (or {@code upn})
 * @param roles the token's {@code groups}
 * @param rooms the token's {@code rooms} claim: exact private room names or {@code prefix*} patterns
 * @param expiresAtMillis the token's {@code exp} in epoch milliseconds, or 0 when it has none
 */
public record Identity(String user, Set<String> roles, Set<String> rooms, long expiresAtMillis) {
}
