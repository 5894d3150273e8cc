package io.realtimegateway.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.realtimegateway.redis.RedisEnvelope;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.redis.RedisScript;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Response;

/**
 * Presence of many instances in Redis, for the {@code redis} broker. Each instance writes only its own part (the names
 * are {@link RedisKeys}'): per room, the hash of the users it has there and its place in the set of instances with
 * members there; the set of rooms it has members in; and its liveness key, set with a time-to-live of
 * {@code gateway.presence.instance-timeout} and refreshed every {@code gateway.presence.refresh-interval}.
 * <p>
 * A query unites the hashes of the room's live instances. Entering and leaving are Lua scripts
 * ({@code src/main/resources/redis/presence*.lua}) that also decide, atomically, whether the user's first (or last)
 * connection anywhere entered (or left), and then announce it on the room's presence channel ({@link RedisEnvelope}),
 * so every instance sees a room's changes in the order Redis made them and turns each into a {@code presence_diff}.
 * Every refresh also reaps dead instances: their entries are deleted and their users announced as left unless present
 * elsewhere. After the instance's liveness key was lost (Redis restarted, or the instance was unreachable longer than
 * the timeout) or a write failed, the next refresh re-synchronises the instance's whole part. The scripts find rooms
 * and instances as they go, so they declare no keys and need a non-cluster Redis.
 * <p>
 * Only a user's first connection in a room on this instance, and their last, reach Redis ({@link LocalMembers}); they
 * are sent, in the order they happened, on one pipelined connection. Threading: never blocks; the lock is held only to
 * keep that order while a command is queued.
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
    /** The arguments every script starts with: the naming parts, this instance, the liveness time-to-live. */
    private final List<String> common;
    private volatile boolean dirty = true;
    private volatile boolean retired;

    /**
     * @param link the connection presence goes through, loading {@link #SCRIPTS}; started by the caller
     * @param prefix the key and channel prefix shared with the broker, for example {@code gateway:}
     * @param instance this instance's id, unique among the instances sharing the Redis
     * @param instanceTimeoutMillis how long after its last refresh an instance counts as gone
     */
    public RedisPresence(RedisLink link, String prefix, String instance, long instanceTimeoutMillis) {
        this.link = link;
        List<String> args = new ArrayList<>(new RedisKeys(prefix).presenceNaming());
        args.add(instance);
        args.add(Long.toString(instanceTimeoutMillis));
        this.common = List.copyOf(args);
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
            write(EXIT, room, user);
        }
    }

    @Override
    public Uni<List<String>> users(String room) {
        return USERS.run(link, List.of(), args(room)).map(reply -> {
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
     * Tells Redis this instance is alive, reaps dead instances, and re-synchronises this instance's part when it may
     * have diverged. Called every {@code gateway.presence.refresh-interval}.
     */
    @Override
    public void refresh() {
        if (retired) {
            return;
        }
        if (dirty) {
            sync();
            return;
        }
        REFRESH.run(link, List.of(), common).subscribe().with(reply -> {
            if (reply.get(1).toInteger() > 0) {
                LOG.infof("presence: removed %d instance(s) that stopped refreshing", reply.get(1).toInteger());
            }
            if (reply.get(0).toInteger() == 0) {
                LOG.warn("presence: this instance's liveness key had expired; re-synchronising its members");
                sync();
            }
        }, failure -> dirty = true);
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
        return RETIRE.run(link, List.of(), common).replaceWithVoid();
    }

    /** Closes presence's connection; call after {@link #retire()}. */
    public void close() {
        retired = true;
        link.close();
    }

    private synchronized void sync() {
        dirty = false;
        List<String> args = new ArrayList<>(common);
        for (Map.Entry<String, List<String>> room : members.snapshot().entrySet()) {
            args.add(room.getKey());
            args.add(Integer.toString(room.getValue().size()));
            args.addAll(room.getValue());
        }
        SYNC.run(link, List.of(), args).subscribe().with(ok -> { }, failure -> dirty = true);
    }

    private List<String> args(String... specific) {
        List<String> args = new ArrayList<>(common.size() + specific.length);
        args.addAll(common);
        args.addAll(List.of(specific));
        return args;
    }

    private void write(RedisScript script, String room, String user) {
        if (retired) {
            return;
        }
        script.run(link, List.of(), args(room, user)).subscribe().with(ok -> { },
                failure -> {
                    LOG.debugf("presence write failed (%s); will re-synchronise", failure.toString());
                    dirty = true;
                });
    }
}
