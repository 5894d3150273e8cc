package io.realtimegateway.session;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import io.realtimegateway.message.Endpoint;
import io.realtimegateway.message.Topic;

/**
 * Who is connected to this instance: every open connection by id, chat connections by room (and, for those that asked
 * for presence events, by presence topic), notification connections by user, and all chat connections for broadcasts.
 * Echo connections are in no topic: only in the index by id and in the echo set (for their gauge); they count towards
 * their user's connections.
 * <p>
 * Guarantees: a connection is in an index only between {@link #add} and {@link #remove}; {@link #remove} takes it out
 * of every index, and an index entry whose last connection leaves is deleted, so an idle server holds nothing for
 * past connections. All methods are thread-safe and non-blocking; iteration over recipients is weakly consistent (a
 * connection joining during a broadcast may or may not receive it).
 */
@ApplicationScoped
public class ConnectionRegistry {

    private final ConcurrentMap<String, ClientSession> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<ClientSession>> byRoom = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final Set<ClientSession> chat = ConcurrentHashMap.newKeySet();
    private final Set<ClientSession> echo = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<String, Integer> perUser = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<ClientSession>> byPresence = new ConcurrentHashMap<>();
    /** Told of this instance's first and last connection per topic (the backend subscribes accordingly). */
    @Inject
    LocalTopicListener listener;

    /** Told of every connection entering or leaving a room (presence). */
    @Inject
    MembershipListener members;

    /** Gauges of what the registry holds, read at each scrape: open connections per endpoint and local rooms. */
    void registerGauges(@Observes StartupEvent started, MeterRegistry meters) {
        for (Endpoint endpoint : Endpoint.values()) {
            Gauge.builder("gateway.connections.open", this, registry -> registry.count(endpoint))
                    .description("Open WebSocket connections").tag("endpoint", endpoint.tag()).register(meters);
        }
        Gauge.builder("gateway.rooms", this, ConnectionRegistry::roomCount)
                .description("Rooms with at least one local member").register(meters);
    }

    public void add(ClientSession session) {
        byId.put(session.id(), session);
        perUser.merge(session.user(), 1, Integer::sum);
        if (session.endpoint() == Endpoint.CHAT) {
            synchronized (chat) {
                if (chat.add(session) && chat.size() == 1) {
                    listener.firstLocal(Topic.ALL);
                }
            }
        } else if (session.endpoint() == Endpoint.NOTIFICATIONS) {
            addTo(byUser, Topic.Kind.USER, session.user(), session);
        } else {
            echo.add(session);
        }
    }

    /** Takes a connection out of every index. Safe to call more than once. */
    public void remove(ClientSession session) {
        if (byId.remove(session.id()) == null) {
            return;
        }
        perUser.computeIfPresent(session.user(), (user, n) -> n == 1 ? null : n - 1);
        if (session.endpoint() == Endpoint.CHAT) {
            for (String room : session.joinedRooms()) {
                removeFrom(byRoom, Topic.Kind.ROOM, room, session);
                removeFrom(byPresence, Topic.Kind.PRESENCE, room, session);
                members.exited(session, room);
            }
            session.joinedRooms().clear();
            synchronized (chat) {
                if (chat.remove(session) && chat.isEmpty()) {
                    listener.lastLocalGone(Topic.ALL);
                }
            }
        } else if (session.endpoint() == Endpoint.NOTIFICATIONS) {
            removeFrom(byUser, Topic.Kind.USER, session.user(), session);
        } else {
            echo.remove(session);
        }
    }

    /**
     * Adds a chat connection to a room.
     *
     * @return {@code false} when it was already a member
     */
    public boolean join(ClientSession session, String room) {
        return join(session, room, false);
    }

    /**
     * Adds a chat connection to a room, and to the room's presence topic when {@code watchPresence}. A member that
     * joins again keeps its membership and changes only whether it watches presence.
     *
     * @return {@code false} when it was already a member
     */
    public boolean join(ClientSession session, String room, boolean watchPresence) {
        if (!byId.containsKey(session.id())) {
            return false;
        }
        if (watchPresence) {
            addTo(byPresence, Topic.Kind.PRESENCE, room, session);
        } else {
            removeFrom(byPresence, Topic.Kind.PRESENCE, room, session);
        }
        if (!session.mutableRooms().add(room)) {
            return false;
        }
        addTo(byRoom, Topic.Kind.ROOM, room, session);
        members.entered(session, room);
        return true;
    }

    /**
     * Removes a chat connection from a room.
     *
     * @return {@code false} when it was not a member
     */
    public boolean leave(ClientSession session, String room) {
        if (!session.joinedRooms().remove(room)) {
            return false;
        }
        removeFrom(byRoom, Topic.Kind.ROOM, room, session);
        removeFrom(byPresence, Topic.Kind.PRESENCE, room, session);
        session.cursors().forget(Topic.room(room));
        members.exited(session, room);
        return true;
    }

    public ClientSession get(String connectionId) {
        return byId.get(connectionId);
    }

    /** The local recipients of a topic; empty when there are none. A live, weakly consistent view. */
    public Collection<ClientSession> recipients(Topic topic) {
        Set<ClientSession> set = switch (topic.kind()) {
            case ROOM -> byRoom.get(topic.name());
            case USER -> byUser.get(topic.name());
            case ALL -> chat;
            case PRESENCE -> byPresence.get(topic.name());
        };
        return set == null ? Collections.emptySet() : Collections.unmodifiableSet(set);
    }

    /** Every open connection of this instance. A live, weakly consistent view. */
    public Collection<ClientSession> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    /** Open connections of one user on this instance, every endpoint together. */
    public int connectionsOf(String user) {
        return perUser.getOrDefault(user, 0);
    }

    public int connectionCount() {
        return byId.size();
    }

    public int count(Endpoint endpoint) {
        return switch (endpoint) {
            case CHAT -> chat.size();
            case ECHO -> echo.size();
            case NOTIFICATIONS -> Math.max(0, byId.size() - chat.size() - echo.size());
        };
    }

    public int roomCount() {
        return byRoom.size();
    }

    public int userCount() {
        return byUser.size();
    }

    private void addTo(ConcurrentMap<String, Set<ClientSession>> index, Topic.Kind kind, String key,
            ClientSession session) {
        index.compute(key, (k, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                listener.firstLocal(new Topic(kind, k));
            }
            set.add(session);
            return set;
        });
    }

    private void removeFrom(ConcurrentMap<String, Set<ClientSession>> index, Topic.Kind kind, String key,
            ClientSession session) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(session);
            if (set.isEmpty()) {
                listener.lastLocalGone(new Topic(kind, k));
                return null;
            }
            return set;
        });
    }
}
