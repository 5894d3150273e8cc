package io.realtimegateway.redis;

import java.util.List;

import io.realtimegateway.message.Topic;

/**
 * Every Redis key and pub/sub channel name of the gateway, in one place. Each name starts with the configured prefix
 * ({@code gateway.redis.channel-prefix}, {@code gateway:} by default), so several deployments can share one Redis.
 * <p>
 * Everything of one room carries the room's hash tag {@code {room:<name>}} (its channel, presence channel, history and
 * presence keys), and everything of one user's notification stream the tag {@code {user:<name>}}, so that on a Redis
 * Cluster each room and each stream lives in one hash slot. Names:
 * <pre>
 * &lt;p&gt;room:{room:R}                       channel of room R's messages
 * &lt;p&gt;presence:{room:R}                   channel of room R's presence changes
 * &lt;p&gt;user:{user:U}                       channel of user U's notifications
 * &lt;p&gt;all                                 channel of messages to every chat connection
 * &lt;p&gt;probe:I                             instance I's liveness probe of its own subscriber connection
 * &lt;p&gt;hist:{room:R}, &lt;p&gt;hseq:{room:R}      history stream and its epoch/offset hash (also {user:U})
 * &lt;p&gt;presence:{room:R}:members           hash of room R's members, field "&lt;instance&gt;:&lt;user&gt;"
 * &lt;p&gt;presence:{room:R}:alive             sorted set of the instances keeping members in room R, scored by the
 *                                     Redis time (ms) until which each counts as alive
 * </pre>
 * Every Lua script is handed all the names it touches in {@code KEYS} (presence: {@link #presence}; history:
 * {@link #history}), and each script touches one room or one stream only, so a Redis Cluster runs it on the node of
 * that slot. Pure and thread-safe.
 */
public final class RedisKeys {

    private final String prefix;

    /** @param prefix the prefix of every name; must not contain a brace, which would break the hash tags */
    public RedisKeys(String prefix) {
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("gateway.redis.channel-prefix must not contain '{' or '}': " + prefix);
        }
        this.prefix = prefix;
    }

    /** The pub/sub channel of a topic. */
    public String channel(Topic topic) {
        return switch (topic.kind()) {
            case ROOM -> prefix + "room:" + tag(topic);
            case USER -> prefix + "user:" + tag(topic);
            case PRESENCE -> prefix + "presence:" + tag(topic);
            case ALL -> prefix + "all";
        };
    }

    /** The channel on which an instance probes its own subscriber connection. */
    public String probe(String instance) {
        return prefix + "probe:" + instance;
    }

    /** @return the topic of one of {@link #channel}'s names, or {@code null} for any other channel */
    public Topic topicOf(String channel) {
        if (!channel.startsWith(prefix)) {
            return null;
        }
        String rest = channel.substring(prefix.length());
        if (rest.equals("all")) {
            return Topic.ALL;
        }
        if (rest.startsWith("room:{room:") && rest.endsWith("}")) {
            return Topic.room(rest.substring(11, rest.length() - 1));
        }
        if (rest.startsWith("presence:{room:") && rest.endsWith("}")) {
            return Topic.presence(rest.substring(15, rest.length() - 1));
        }
        if (rest.startsWith("user:{user:") && rest.endsWith("}")) {
            return Topic.user(rest.substring(11, rest.length() - 1));
        }
        return null;
    }

    /** The history keys of a room or user stream: the stream of entries, then the hash of its epoch and offset. */
    public List<String> history(Topic topic) {
        String tag = tag(topic);
        return List.of(prefix + "hist:" + tag, prefix + "hseq:" + tag);
    }

    /**
     * The names every presence script of one room is given, as its {@code KEYS} in this order: the hash of the room's
     * members, the sorted set of its instances with their liveness, the room's presence channel.
     */
    public List<String> presence(String room) {
        String tag = tag(Topic.presence(room));
        return List.of(prefix + "presence:" + tag + ":members", prefix + "presence:" + tag + ":alive",
                channel(Topic.presence(room)));
    }

    /** The hash tag of a topic: a room's presence shares the room's. */
    private static String tag(Topic topic) {
        return switch (topic.kind()) {
            case ROOM, PRESENCE -> "{room:" + topic.name() + "}";
            case USER -> "{user:" + topic.name() + "}";
            case ALL -> "{all}";
        };
    }
}
