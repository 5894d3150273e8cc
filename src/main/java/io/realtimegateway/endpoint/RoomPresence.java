package io.realtimegateway.endpoint;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of {@code GET /api/v1/rooms/{room}/presence}.
 *
 * @param room the room
 * @param users the users with at least one connection in it, on any instance, each once
 */
@RegisterForReflection
public record RoomPresence(String room, List<String> users) {
}
