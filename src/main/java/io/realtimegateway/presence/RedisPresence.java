package io.realtimegateway.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.redis.RedisScript;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Response;

/**
 * Presence of many instances in Redis, for the {@code redis} broker. Each instance writes only its own part:
 * <ul>
 * <li>{@code <prefix>members:{<room>}:<instance>}: hash of the users it has in the room;</li>
 * <li>{@code <prefix>member-instances:{<room>}}: set of the instances with members in the room;</li>
 * <li>{@code <prefix>instance-rooms:<instance>} and {@code <prefix>instances}: what to clean up after an instance;</li>
 * <li>{@code <prefix>instance:<instance>}: its liveness key, set with a time-to-live of
 * {@code gateway.presence.instance-timeout} and refreshed every {@code gateway.presence.refresh-interval}.</li>
 * </ul>
 * A query unites the hashes of the room's live instances. Entering and leaving are Lua scripts that also decide,
 * atomically, whether the user's first (or last) connection anywhere entered (or left), and then publish the
 * {@code presence_diff} on the room's presence channel, so diffs follow the order Redis executed the changes. Every
 * refresh also reaps dead instances: their entries are deleted and their users announced as left unless present
 * elsewhere. After the instance's liveness key was lost (Redis restarted, or the instance was unreachable longer than
 * the timeout) or a write failed, the next refresh re-synchronises the instance's whole part. The scripts touch keys of
 * several rooms, so presence needs a non-cluster Redis.
 * <p>
 * Only a user's first connection in a room on this instance, and their last, reach Redis ({@link LocalMembers}); they
 * are sent, in the order they happened, on one pipelined connection. Threading: never blocks; the lock is held only to
 * keep that order while a command is queued.
 */
public final class RedisPresence implements Presence {

    private static final Logger LOG = Logger.getLogger(RedisPresence.class);

    /** ARGV[1] = key prefix, ARGV[2] = this instance, ARGV[3] = liveness time-to-live in ms. */
    private static final String PRELUDE = """
            local p, me, ttl = ARGV[1], ARGV[2], ARGV[3]
            local function members(room, i) return p .. 'members:{' .. room .. '}:' .. i end
            local function holders(room) return p .. 'member-instances:{' .. room .. '}' end
            local function alive(i) return redis.call('EXISTS', p .. 'instance:' .. i) == 1 end
            local function elsewhere(room, user, i)
              for _, other in ipairs(redis.call('SMEMBERS', holders(room))) do
                if other ~= i and alive(other) and redis.call('HEXISTS', members(room, other), user) == 1 then
                  return true
                end
              end
              return false
            end
            local function diff(room, user, joined)
              local list = '[' .. cjson.encode(user) .. ']'
              local frame = '{"type":"presence_diff","room":' .. cjson.encode(room) .. ',"joined":'
                .. (joined and list or '[]') .. ',"left":' .. (joined and '[]' or list) .. '}'
              redis.call('PUBLISH', p .. 'presence:' .. room, '\\n\\n\\n' .. frame)
            end
            local function enter(room, user, i)
              redis.call('SADD', p .. 'instance-rooms:' .. i, room)
              redis.call('SADD', holders(room), i)
              if redis.call('HSET', members(room, i), user, '1') == 1 and not elsewhere(room, user, i) then
                diff(room, user, true)
              end
            end
            local function leave(room, user, i)
              if redis.call('HDEL', members(room, i), user) == 0 then
                return
              end
              if redis.call('HLEN', members(room, i)) == 0 then
                redis.call('SREM', holders(room), i)
                redis.call('SREM', p .. 'instance-rooms:' .. i, room)
              end
              if not elsewhere(room, user, i) then
                diff(room, user, false)
              end
            end
            local function reap(i)
              for _, room in ipairs(redis.call('SMEMBERS', p .. 'instance-rooms:' .. i)) do
                for _, user in ipairs(redis.call('HKEYS', members(room, i))) do
                  leave(room, user, i)
                end
                redis.call('DEL', members(room, i))
                redis.call('SREM', holders(room), i)
              end
              redis.call('DEL', p .. 'instance-rooms:' .. i)
              redis.call('SREM', p .. 'instances', i)
            end
            local function beat()
              local existed = redis.call('EXISTS', p .. 'instance:' .. me)
              redis.call('SET', p .. 'instance:' .. me, '1', 'PX', ttl)
              redis.call('SADD', p .. 'instances', me)
              return existed
            end
            """;

    /** ARGV[4] = room, ARGV[5] = user. */
    static final RedisScript ENTER = new RedisScript(PRELUDE + """
            beat()
            enter(ARGV[4], ARGV[5], me)
            return 1
            """);

    /** ARGV[4] = room, ARGV[5] = user. */
    static final RedisScript EXIT = new RedisScript(PRELUDE + """
            leave(ARGV[4], ARGV[5], me)
            return 1
            """);

    /** ARGV[4] = room. Returns the users of the room's live instances, each once. */
    static final RedisScript USERS = new RedisScript(PRELUDE + """
            local seen, out = {}, {}
            for _, i in ipairs(redis.call('SMEMBERS', holders(ARGV[4]))) do
              if alive(i) then
                for _, user in ipairs(redis.call('HKEYS', members(ARGV[4], i))) do
                  if not seen[user] then
                    seen[user] = true
                    out[#out + 1] = user
                  end
                end
              end
            end
            return out
            """);

    /** Refreshes this instance's liveness and reaps dead instances. Returns {liveness key existed 1/0, reaped}. */
    static final RedisScript REFRESH = new RedisScript(PRELUDE + """
            local existed = beat()
            local reaped = 0
            for _, other in ipairs(redis.call('SMEMBERS', p .. 'instances')) do
              if not alive(other) then
                reap(other)
                reaped = reaped + 1
              end
            end
            return {existed, reaped}
            """);

    /** Removes this instance's part, announcing its users as left unless present elsewhere, at shutdown. */
    static final RedisScript RETIRE = new RedisScript(PRELUDE + """
            reap(me)
            redis.call('DEL', p .. 'instance:' .. me)
            return 1
            """);

    /** Replaces this instance's part with ARGV[4..]: room, user count n, n users, room, ... */
    static final RedisScript SYNC = new RedisScript(PRELUDE + """
            beat()
            local wanted, i = {}, 4
            while i <= #ARGV do
              local users, n = {}, tonumber(ARGV[i + 1])
              for k = 1, n do
                users[ARGV[i + 1 + k]] = true
              end
              wanted[ARGV[i]] = users
              i = i + 2 + n
            end
            for _, room in ipairs(redis.call('SMEMBERS', p .. 'instance-rooms:' .. me)) do
              local users = wanted[room] or {}
              for _, user in ipairs(redis.call('HKEYS', members(room, me))) do
                if not users[user] then
                  leave(room, user, me)
                end
              end
            end
            for room, users in pairs(wanted) do
              for user in pairs(users) do
                enter(room, user, me)
              end
            end
            return 1
            """);

    /** The scripts this presence's {@link RedisLink} must load. */
    public static final List<RedisScript> SCRIPTS = List.of(ENTER, EXIT, USERS, REFRESH, SYNC, RETIRE);

    private final LocalMembers members = new LocalMembers();
    private final RedisLink link;
    private final String prefix;
    private final String instance;
    private final String ttlMillis;
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
        this.prefix = prefix;
        this.instance = instance;
        this.ttlMillis = Long.toString(instanceTimeoutMillis);
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
        return USERS.run(link, List.of(), List.of(prefix, instance, ttlMillis, room)).map(reply -> {
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
    public void refresh() {
        if (retired) {
            return;
        }
        if (dirty) {
            sync();
            return;
        }
        REFRESH.run(link, List.of(), List.of(prefix, instance, ttlMillis)).subscribe().with(reply -> {
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
        retired = true;
        return RETIRE.run(link, List.of(), List.of(prefix, instance, ttlMillis)).replaceWithVoid();
    }

    private synchronized void sync() {
        dirty = false;
        List<String> args = new ArrayList<>(List.of(prefix, instance, ttlMillis));
        for (Map.Entry<String, List<String>> room : members.snapshot().entrySet()) {
            args.add(room.getKey());
            args.add(Integer.toString(room.getValue().size()));
            args.addAll(room.getValue());
        }
        SYNC.run(link, List.of(), args).subscribe().with(ok -> { }, failure -> dirty = true);
    }

    private void write(RedisScript script, String room, String user) {
        if (retired) {
            return;
        }
        script.run(link, List.of(), List.of(prefix, instance, ttlMillis, room, user)).subscribe().with(ok -> { },
                failure -> {
                    LOG.debugf("presence write failed (%s); will re-synchronise", failure.toString());
                    dirty = true;
                });
    }
}
