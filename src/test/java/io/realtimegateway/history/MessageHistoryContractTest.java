package io.realtimegateway.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.IdFrame;
import io.vertx.core.Vertx;

/**
 * The contract of {@link MessageHistory}, run against every implementation: in memory, and over a real Redis. Each
 * history keeps 3 messages for 60 s, on a clock the test moves.
 */
abstract class MessageHistoryContractTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static {
        // Mutiny's context propagation initialises itself on first use, which is not safe to race from many threads.
        io.smallrye.mutiny.Uni.createFrom().voidItem().subscribe().with(ignored -> { });
    }

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    MessageHistory history;
    final Topic lobby = Topic.room("lobby");

    /** A new, empty history keeping {@code maxMessages} for {@code maxAgeMillis}, on the given clock. */
    abstract MessageHistory create(int maxMessages, long maxAgeMillis, LongSupplier clock);

    /** Loses everything the history holds, as a restart of its store would. */
    abstract void loseEverything();

    @BeforeEach
    void createHistory() {
        history = create(3, 60_000, now::get);
    }

    StreamId append(Topic topic, String text) {
        MessageHistory.Entry entry = history.append(topic, new IdFrame(text + "@", "")).await().atMost(WAIT);
        assertEquals(text + "@" + entry.id(), entry.frame().text(), "the frame is completed with its own id");
        return entry.id();
    }

    MessageHistory.Replay since(Topic topic, StreamId id) {
        return history.since(topic, id).await().atMost(WAIT);
    }

    List<MessageHistory.Entry> last(Topic topic, int count) {
        return history.last(topic, count).await().atMost(WAIT);
    }

    static List<String> texts(MessageHistory.Replay replay) {
        return texts(replay.entries());
    }

    static List<String> texts(List<MessageHistory.Entry> entries) {
        return entries.stream().map(e -> e.frame().text().substring(0, e.frame().text().indexOf('@')))
                .toList();
    }

    @Test
    void binaryMessagesAreKeptByteForByteBesideTextOnesInOrder() {
        byte[] payload = new byte[1280];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        append(lobby, "t1");
        MessageHistory.Entry binary = history.append(lobby, new IdFrame("{\"id\":\"", "\"}", payload)).await()
                .atMost(WAIT);
        assertEquals("{\"id\":\"" + binary.id() + "\"}", binary.frame().header());
        StreamId empty = history.append(lobby, new IdFrame("e@", "", new byte[0])).await().atMost(WAIT).id();
        MessageHistory.Replay replay = since(lobby, new StreamId(binary.id().epoch(), 0));
        assertEquals(3, replay.entries().size());
        assertFalse(replay.entries().get(0).frame().isBinary());
        MessageHistory.Entry kept = replay.entries().get(1);
        assertEquals(binary.id(), kept.id());
        assertTrue(kept.frame().isBinaryMessage());
        assertEquals(binary.frame().header(), kept.frame().header());
        assertArrayEquals(payload, kept.frame().payload());
        assertEquals(binary.frame().bytes(), kept.frame().bytes());
        assertEquals(empty, replay.entries().get(2).id());
        assertArrayEquals(new byte[0], replay.entries().get(2).frame().payload());
        assertArrayEquals(payload, last(lobby, 2).get(0).frame().payload());
    }

    @Test
    void offsetsCountUpFromOneWithinAnEpoch() {
        StreamId a = append(lobby, "a");
        StreamId b = append(lobby, "b");
        assertEquals(1, a.offset());
        assertEquals(2, b.offset());
        assertEquals(a.epoch(), b.epoch());
        assertEquals(a, StreamId.parse(a.toString()));
        StreamId other = append(Topic.room("other"), "x");
        assertEquals(1, other.offset(), "each topic has its own sequence");
        assertNotEquals(a.epoch(), other.epoch(), "each topic has its own epoch");
        assertEquals(1, append(Topic.user("lobby"), "n").offset(), "a user's topic is not the room of that name");
    }

    @Test
    void theNewestIdIsTheLastAppendedOrNoneForATopicWithoutMessages() {
        assertNull(history.newest(lobby).await().atMost(WAIT), "nothing appended yet");
        append(lobby, "a");
        StreamId b = append(lobby, "b");
        assertEquals(b, history.newest(lobby).await().atMost(WAIT));
        assertNull(history.newest(Topic.user("lobby")).await().atMost(WAIT), "another topic's");
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
        assertEquals(a.epoch(), replay.last().epoch());
        MessageHistory.Replay upToDate = since(lobby, replay.last());
        assertTrue(upToDate.entries().isEmpty());
        assertTrue(upToDate.recovered(), "nothing missed");
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
        assertTrue(since(lobby, new StreamId(a.epoch(), 2)).recovered(), "from b on, everything is there");
    }

    @Test
    void theLastRetainedMessagesComeOldestFirstAndNoMoreThanAreRetained() {
        assertTrue(last(lobby, 3).isEmpty(), "a topic without history");
        for (String s : new String[] { "a", "b", "c", "d", "e" }) {
            append(lobby, s);
        }
        List<MessageHistory.Entry> two = history.last(lobby, 2).await().atMost(WAIT);
        assertEquals(List.of("d", "e"), texts(two));
        assertEquals(List.of(4L, 5L), two.stream().map(e -> e.id().offset()).toList());
        assertEquals(history.newest(lobby).await().atMost(WAIT), two.get(1).id(), "ids in the topic's epoch");
        assertEquals(List.of("c", "d", "e"), texts(last(lobby, 100)), "only the last 3 are kept");
        assertTrue(last(Topic.user("lobby"), 3).isEmpty(), "another topic's");
    }

    @Test
    void theLastMessagesLeaveOutThoseOlderThanTheAgeLimit() {
        append(lobby, "a");
        append(lobby, "b");
        now.addAndGet(61_000);
        append(lobby, "c");
        assertEquals(List.of("c"), texts(last(lobby, 3)));
        now.addAndGet(61_000);
        assertTrue(last(lobby, 3).isEmpty());
    }

    @Test
    void messagesOlderThanTheAgeLimitAreNotReplayed() {
        StreamId a = append(lobby, "a");
        append(lobby, "b");
        now.addAndGet(61_000);
        append(lobby, "c");
        MessageHistory.Replay replay = since(lobby, a);
        assertEquals(List.of("c"), texts(replay));
        assertFalse(replay.recovered(), "b aged out");
    }

    @Test
    void anIdOfAnotherEpochOrAnUnknownTopicIsNotRecovered() {
        append(lobby, "a");
        assertFalse(since(lobby, new StreamId("stale", 1)).recovered());
        assertEquals(List.of("a"), texts(since(lobby, new StreamId("stale", 1))), "what is retained is replayed");
        assertFalse(since(Topic.room("never"), new StreamId("x", 1)).recovered());
        assertTrue(since(Topic.room("never"), new StreamId("x", 1)).entries().isEmpty());
        assertFalse(since(lobby, new StreamId(append(lobby, "b").epoch(), 99)).recovered(),
                "an offset from the future is not trusted");
    }

    @Test
    void aLostHistoryStartsANewEpochAndOldIdsAreNotRecovered() {
        StreamId a = append(lobby, "a");
        loseEverything();
        StreamId b = append(lobby, "b");
        assertNotEquals(a.epoch(), b.epoch());
        assertEquals(1, b.offset());
        MessageHistory.Replay replay = since(lobby, a);
        assertFalse(replay.recovered());
        assertEquals(List.of("b"), texts(replay));
    }

    @Test
    void concurrentAppendsGetEveryOffsetOnceAndEachCallersInOrder() throws Exception {
        int callers = 4;
        int each = 200;
        history = create(callers * each, 60_000, now::get);
        // Callers on event loops, as in the service: each issues its appends one after another without waiting.
        Vertx vertx = Vertx.vertx();
        try {
            List<List<Long>> completed = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(callers * each);
            for (int c = 0; c < callers; c++) {
                List<Long> mine = Collections.synchronizedList(new ArrayList<>());
                completed.add(mine);
                vertx.getOrCreateContext().runOnContext(ignored -> {
                    for (int i = 0; i < each; i++) {
                        history.append(lobby, new IdFrame("m@", "")).subscribe().with(entry -> {
                            mine.add(entry.id().offset());
                            done.countDown();
                        }, failure -> done.countDown());
                    }
                });
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            List<Long> all = new ArrayList<>();
            for (List<Long> offsets : completed) {
                List<Long> sorted = new ArrayList<>(offsets);
                Collections.sort(sorted);
                assertEquals(sorted, offsets, "one caller's appends are numbered, and complete, in call order");
                all.addAll(offsets);
            }
            Collections.sort(all);
            assertEquals(LongStream.rangeClosed(1, callers * each).boxed().toList(), all, "no offset twice or lost");
            MessageHistory.Replay replay = since(lobby, new StreamId(append(lobby, "last").epoch(), 0));
            assertEquals(callers * each, replay.entries().size());
        } finally {
            vertx.close();
        }
    }
}
