package io.realtimegateway.broadcast;

import io.realtimegateway.message.Topic;

/**
 * The Redis pub/sub channels of the topics: {@code <prefix>room:<room>}, {@code <prefix>user:<user>},
 * {@code <prefix>presence:<room>} and {@code <prefix>all}, and each instance's probe channel
 * {@code <prefix>probe:<instance>}. Pure.
 */
public final class RedisChannels {

    private final String prefix;

    public RedisChannels(String prefix) {
        this.prefix = prefix;
    }

    public String of(Topic topic) {
        return switch (topic.kind()) {
            case ROOM -> prefix + "room:" + topic.name();
            case USER -> prefix + "user:" + topic.name();
            case ALL -> prefix + "all";
            case PRESENCE -> prefix + "presence:" + topic.name();
        };
    }

    /** The channel on which an instance probes its own subscriber connection. */
    public String probe(String instance) {
        return prefix + "probe:" + instance;
    }

    /** @return the topic of a channel, or {@code null} for a channel that is not one of ours */
    Topic topicOf(String channel) {
        if (!channel.startsWith(prefix)) {
            return null;
        }
        String rest = channel.substring(prefix.length());
        if (rest.equals("all")) {
            return Topic.ALL;
        }
        if (rest.startsWith("room:")) {
            return Topic.room(rest.substring(5));
        }
        if (rest.startsWith("user:")) {
            return Topic.user(rest.substring(5));
        }
        if (rest.startsWith("presence:")) {
            return Topic.presence(rest.substring(9));
        }
        return null;
    }
}
