package io.realtimegateway.presence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.realtimegateway.redis.RedisEnvelope;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.redis.RedisScript;
import io.realtimegateway.redis.RedisServer;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Response;

/**
 * Presence of many instances in Redis, for the {@code redis} broker. Everything is kept per room, under the room's
 * hash tag ({@link RedisKeys#presence}), so on a Redis Cluster each room's presence lives on the node of its slot and
 * every script declares all it touches in {@code KEYS}: the hash of the room's members (one field per instance and
 * user) and the sorted set of the instances keeping members there, each scored with the time until which it counts as
 * alive, {@code gateway.presence.instance-timeout} after its last renewal. There is no key shared by rooms.
 * <p>
 * A query lists the members of the room's live instances. Entering and leaving are Lua scripts
 * ({@code src/main/resources/redis/presence*.lua}) that also decide, atomically, whether the user's first (or last)
 * connection anywhere entered (or left), and then announce it on the room's presence channel ({@link RedisEnvelope})
 * with {@code PUBLISH} or, where the broker uses sharded pub/sub, {@code SPUBLISH}; so every instance sees a room's
 * changes in the order Redis made them and turns each into a {@code presence_diff}.
 * <p>
 * Every {@code gateway.presence.refresh-interval} the instance renews its liveness in each room it has members in, and
 * that renewal reaps the room's instances that stopped renewing: their entries are deleted and their users announced
 * as left unless present elsewhere. A room whose members only dead instances held is reaped by nobody, but its
 * members are not listed and its keys expire. A room is re-synchronised (this instance's users there written whole)
 * when a write to it failed or its renewal found this instance no longer alive there (Redis restarted, or the
 * instance was unreachable longer than the timeout).
 * <p>
 * Only a user's first connection in a room on this instance, and their last, reach Redis ({@link LocalMembers}); they
 * are sent, in the order they happened, on one pipelined connection. The refresh costs one script per room with local
 * members per interval. Threading: never blocks; the lock is held only to keep that order while a command is queued.
 */
public final class RedisPresence implements Presence {

    private static final Logger LOG = Logger.getLogger(RedisPresence.class);

    static final RedisScript ENTER = RedisScript.load("presence", "presence-enter");
    static final RedisScript EXIT = RedisScript.load("presence", "presence-exit");
    static final RedisScript USERS = RedisScript.load("presence", "presence-users");
    static final RedisScript REFRESH = RedisScript.load("presence", "presence-refresh");
    static final RedisScript RETIRE = RedisScript.load("presence", "presence-retire");
    static final RedisScript SYNC = RedisScript.load("presence", "presence-sync");

    /** The scripts this presence's {@link RedisLink} must load. */
    public static final List<RedisScript> SCRIPTS = List.of(ENTER, EXIT, USERS, REFRESH, SYNC, RETIRE);

    private final LocalMembers members = new LocalMembers();
    private final RedisLink link;
    private final RedisKeys keys;
    private final String instance;
    private final String ttl;
    private final boolean shardedAllowed;
    /** Rooms whose part in Redis may differ from {@link #members}: written whole at the next refresh. */
    private final Set<String> diverged = ConcurrentHashMap.newKeySet();
    private volatile boolean retired;

    /**
     * @param link the connection presence goes through, loading {@link #SCRIPTS}; started by the caller
     * @param prefix the key and channel prefix shared with the broker, for example {@code gateway:}
     * @param instance this instance's id, unique among the instances sharing the Redis
     * @param instanceTimeoutMillis how long after its last refresh an instance counts as gone
     * @param shardedAllowed whether changes may be announced with {@code SPUBLISH} where the server has it (the
     *        broker's choice, {@code gateway.redis.pub-sub})
     */
    public RedisPresence(RedisLink link, String prefix, String instance, long instanceTimeoutMillis,
            boolean shardedAllowed) {
        this.link = link;
        this.keys = new RedisKeys(prefix);
        this.instance = instance;
        this.ttl = Long.toString(instanceTimeoutMillis);
        this.shardedAllowed = shardedAllowed;
    }

    @Override
    public synchronized void entered(String room, String user) {
        if (members.add(room, user)) {
            write(ENTER, room, user);
        }
    }

    @Override
    public synchronized void exited(String room, String user) {
        if (members.remove(room, user)) {
            if (members.users(room).isEmpty()) {
                write(SYNC, room); // this instance's last member of the room: leave the room's instances too
            } else {
                write(EXIT, room, user);
            }
        }
    }

    @Override
    public Uni<List<String>> users(String room) {
        return run(USERS, room, List.of()).map(reply -> {
            List<String> users = new ArrayList<>(reply.size());
            for (Response user : reply) {
                users.add(user.toString());
            }
            return users;
        });
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String problem() {
        return link.problem();
    }

    /**
     * Renews this instance's liveness in every room it has members in, reaping the instances there that stopped
     * renewing theirs, and re-synchronises the rooms whose part may have diverged. Called every
     * {@code gateway.presence.refresh-interval}.
     */
    @Override
    public void refresh() {
        if (retired) {
            return;
        }
        Set<String> rooms = members.snapshot().keySet();
        for (String room : List.copyOf(diverged)) {
            if (!rooms.contains(room)) {
                sync(room);
            }
        }
        for (String room : rooms) {
            if (diverged.contains(room)) {
                sync(room);
                continue;
            }
            run(REFRESH, room, List.of()).subscribe().with(reply -> {
                if (reply.get(1).toInteger() > 0) {
                    LOG.infof("presence: removed %d instance(s) that stopped refreshing from room %s",
                            reply.get(1).toInteger(), room);
                }
                if (reply.get(0).toInteger() == 0) {
                    LOG.infof("presence: this instance was no longer alive in room %s; re-synchronising it", room);
                    sync(room);
                }
            }, failure -> diverged.add(room));
        }
    }

    /**
     * Removes this instance from presence at once, instead of letting it time out: called at shutdown, after which
     * this presence must not be used.
     */
    public Uni<Void> retire() {
        if (retired) {
            return Uni.createFrom().voidItem();
        }
        retired = true;
        Set<String> rooms = new HashSet<>(members.snapshot().keySet());
        rooms.addAll(diverged);
        if (rooms.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(rooms.stream().map(room -> run(RETIRE, room, List.of())).toList()).andCollectFailures()
                .replaceWithVoid();
    }

    /** Closes presence's connection; call after {@link #retire()}. */
    public void close() {
        retired = true;
        link.close();
    }

    /** Writes this instance's users in {@code room} whole (none: it has left the room). */
    private synchronized void sync(String room) {
        diverged.remove(room);
        write(SYNC, room, members.users(room).toArray(String[]::new));
    }

    private void write(RedisScript script, String room, String... users) {
        if (retired) {
            return;
        }
        run(script, room, List.of(users)).subscribe().with(ok -> { }, failure -> {
            LOG.debugf("presence write failed (%s); will re-synchronise room %s", failure.toString(), room);
            diverged.add(room);
        });
    }

    /** Runs a presence script on one room: its keys, then this instance, the time-to-live, the publish command. */
    private Uni<Response> run(RedisScript script, String room, List<String> specific) {
        RedisServer server = link.server();
        boolean sharded = shardedAllowed && server != null && server.shardedPubSub();
        List<String> args = new ArrayList<>(3 + specific.size());
        args.add(instance);
        args.add(ttl);
        args.add(sharded ? "SPUBLISH" : "PUBLISH");
        args.addAll(specific);
        return script.run(link, keys.presence(room), args);
    }
}
