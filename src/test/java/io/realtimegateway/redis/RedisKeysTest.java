package io.realtimegateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.realtimegateway.message.Topic;

/** Every name of a room (or user stream) shares one hash tag, and every channel maps back to its topic. */
class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("gateway:");

    @Test
    void everyChannelMapsBackToItsTopic() {
        for (Topic topic : List.of(Topic.room("lobby"), Topic.room("private:team-1.a"), Topic.presence("lobby"),
                Topic.user("alice"), Topic.user("odd}name{"), Topic.ALL)) {
            assertEquals(topic, keys.topicOf(keys.channel(topic)), keys.channel(topic));
        }
        assertNull(keys.topicOf("other:room:{room:lobby}"), "another deployment's prefix");
        assertNull(keys.topicOf(keys.probe("instance-1")), "a probe channel carries no topic");
        assertNull(keys.topicOf("gateway:room:lobby"), "a name without the tag");
    }

    @Test
    void aRoomsChannelsHistoryAndPresenceShareOneHashTag() {
        List<String> names = new ArrayList<>(keys.history(Topic.room("lobby")));
        names.add(keys.channel(Topic.room("lobby")));
        names.add(keys.channel(Topic.presence("lobby")));
        names.addAll(keys.presence("lobby"));
        for (String name : names) {
            assertEquals("room:lobby", hashTag(name), name);
        }
        assertEquals("user:alice", hashTag(keys.history(Topic.user("alice")).get(0)));
        assertEquals("user:alice", hashTag(keys.channel(Topic.user("alice"))));
    }

    @Test
    void slotsAreThoseOfTheRedisClusterSpecification() {
        // Reference values: CLUSTER KEYSLOT on Redis 7.0.15, and the specification's CRC16 check value of 123456789.
        assertEquals(12182, HashSlot.of("foo"));
        assertEquals(0x31C3 % 16384, HashSlot.of("123456789"));
        assertEquals(HashSlot.of("user1000"), HashSlot.of("{user1000}.following"));
        assertEquals(HashSlot.of("{}x"), HashSlot.of("{}x"), "an empty tag hashes the whole name");
        assertEquals(HashSlot.of("room:lobby"), HashSlot.of(keys.channel(Topic.room("lobby"))));
    }

    @Test
    void aPrefixWithABraceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RedisKeys("gw{1}:"));
    }

    /** What Redis Cluster hashes: between the first '{' and the next '}', when that is not empty. */
    private static String hashTag(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : key;
    }
}
