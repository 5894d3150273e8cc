package io.realtimegateway.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.realtimegateway.broadcast.Topic;
import io.realtimegateway.protocol.OutboundFrame;

class MemoryHistoryTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MemoryHistory history = new MemoryHistory(3, 60_000, now::get);
    private final Topic lobby = Topic.room("lobby");

    private StreamId append(Topic topic, String text) {
        return history.appendNow(topic, id -> OutboundFrame.of(text + "@" + id)).id();
    }

    private MessageHistory.Replay since(Topic topic, StreamId id) {
        return history.since(topic, id).await().indefinitely();
    }

    private static List<String> texts(MessageHistory.Replay replay) {
        return replay.entries().stream().map(e -> e.frame().text().substring(0, e.frame().text().indexOf('@')))
                .toList();
    }

    @Test
    void offsetsCountUpFromOneWithinAnEpoch() {
        StreamId a = append(lobby, "a");
        StreamId b = append(lobby, "b");
        assertEquals(1, a.offset());
        assertEquals(2, b.offset());
        assertEquals(a.epoch(), b.epoch());
        assertEquals(a, StreamId.parse(a.toString()));
        assertNotEquals(a.epoch(), append(Topic.room("other"), "x").epoch(), "each topic has its own epoch");
    }

    @Test
    void replaysWhatCameAfterAnIdAndSaysItIsComplete() {
        StreamId a = append(lobby, "a");
        append(lobby, "b");
        append(lobby, "c");
        MessageHistory.Replay replay = since(lobby, a);
        assertEquals(List.of("b", "c"), texts(replay));
        assertTrue(replay.recovered());
        assertEquals(3, replay.last().offset());
        MessageHistory.Replay upToDate = since(lobby, replay.last());
        assertTrue(upToDate.entries().isEmpty());
        assertTrue(upToDate.recovered());
        assertNull(upToDate.last());
    }

    @Test
    void aHistoryThatNoLongerReachesBackIsNotRecovered() {
        StreamId a = append(lobby, "a");
        for (String s : new String[] { "b", "c", "d", "e" }) {
            append(lobby, s);
        }
        MessageHistory.Replay replay = since(lobby, a);
        assertEquals(List.of("c", "d", "e"), texts(replay), "only the last 3 are kept");
        assertFalse(replay.recovered(), "b was lost");
    }

    @Test
    void messagesOlderThanTheAgeLimitAreGone() {
        StreamId a = append(lobby, "a");
        append(lobby, "b");
        now.addAndGet(61_000);
        append(lobby, "c");
        MessageHistory.Replay replay = since(lobby, a);
        assertEquals(List.of("c"), texts(replay));
        assertFalse(replay.recovered());
    }

    @Test
    void anIdOfAnotherEpochOrAnUnknownTopicIsNotRecovered() {
        append(lobby, "a");
        assertFalse(since(lobby, new StreamId("stale", 1)).recovered());
        assertEquals(List.of("a"), texts(since(lobby, new StreamId("stale", 1))));
        assertFalse(since(Topic.room("never"), new StreamId("x", 1)).recovered());
        assertFalse(since(lobby, new StreamId(append(lobby, "b").epoch(), 99)).recovered(),
                "an offset from the future is not trusted");
    }

    @Test
    void sweepDropsIdleTopicsAndTheirEpoch() {
        StreamId a = append(lobby, "a");
        history.sweep();
        assertEquals(1, history.topicCount(), "a topic with retained messages is not idle");
        now.addAndGet(120_000);
        history.sweep();
        assertEquals(0, history.topicCount());
        StreamId b = append(lobby, "b");
        assertNotEquals(a.epoch(), b.epoch());
        assertFalse(since(lobby, a).recovered());
    }

    @Test
    void streamIdsParseStrictly() {
        assertEquals(new StreamId("ab", 7), StreamId.parse("ab:7"));
        for (String bad : new String[] { null, "", "7", ":7", "ab:", "ab:x", "ab:-1" }) {
            assertNull(StreamId.parse(bad), String.valueOf(bad));
        }
    }
}
