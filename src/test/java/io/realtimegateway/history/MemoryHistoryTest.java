package io.realtimegateway.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * What only the in-memory history does: sweeping idle topics, and its global byte bound. The rest is
 * {@link MemoryHistoryContractTest}.
 */
class MemoryHistoryTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final MemoryHistory history = new MemoryHistory(3, 60_000, Long.MAX_VALUE, now::get);
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
    void theByteBoundEvictsTheOldestMessagesOfAnyTopicFirst() {
        int frame = OutboundFrame.of("x".repeat(1000) + "@e:1").bytes();
        MemoryHistory bounded = new MemoryHistory(1000, 60_000, 10L * frame, now::get);
        Topic side = Topic.room("side");
        String pad = "x".repeat(1000);
        StreamId first = bounded.appendNow(lobby, id -> OutboundFrame.of(pad + "@e:1")).id();
        StreamId sideFirst = null;
        // 2 rooms, 30 messages of the same size each, alternately: three times the bound.
        for (int i = 0; i < 30; i++) {
            StreamId s = bounded.appendNow(side, id -> OutboundFrame.of(pad + "@e:1")).id();
            if (sideFirst == null) {
                sideFirst = s;
            }
            bounded.appendNow(lobby, id -> OutboundFrame.of(pad + "@e:1"));
            assertTrue(bounded.bytes() <= 10L * frame, "held " + bounded.bytes() + " bytes");
        }
        assertEquals(10L * frame, bounded.bytes());
        assertEquals(61 - 10, bounded.evictions());
        MessageHistory.Replay lobbyReplay = bounded.since(lobby, first).await().indefinitely();
        MessageHistory.Replay sideReplay = bounded.since(side, sideFirst).await().indefinitely();
        assertFalse(lobbyReplay.recovered(), "evicted history is reported as lost, as expired history is");
        assertFalse(sideReplay.recovered());
        assertEquals(5, lobbyReplay.entries().size(), "the newest ten messages remain, of both rooms");
        assertEquals(5, sideReplay.entries().size());
    }

    @Test
    void theGlobalOrderDoesNotGrowWithMessagesTheRoomsLetGoOfThemselves() {
        MemoryHistory bounded = new MemoryHistory(2, 60_000, 1L << 30, now::get);
        for (int i = 0; i < 100_000; i++) {
            bounded.appendNow(Topic.room("r" + (i % 10)), id -> OutboundFrame.of("m@" + id));
        }
        assertEquals(0, bounded.evictions(), "the rooms' own count limit let go of them, not the byte bound");
        assertTrue(bounded.orderLength() <= 20 + 1025, "the order was compacted: " + bounded.orderLength());
    }

    @Test
    void streamIdsParseStrictly() {
        assertEquals(new StreamId("ab", 7), StreamId.parse("ab:7"));
        for (String bad : new String[] { null, "", "7", ":7", "ab:", "ab:x", "ab:-1" }) {
            assertNull(StreamId.parse(bad), String.valueOf(bad));
        }
    }
}
