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

/** What only the in-memory history does: sweeping idle topics. The rest is {@link MemoryHistoryContractTest}. */
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
