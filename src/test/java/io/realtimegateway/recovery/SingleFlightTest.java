package io.realtimegateway.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** Which reads {@link SingleFlight} merges, and that it keeps nothing after them. */
class SingleFlightTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final SingleFlight<String, String> flights = new SingleFlight<>();
    private final List<CompletableFuture<String>> started = new ArrayList<>();
    private final AtomicInteger subscribed = new AtomicInteger();

    /** A read that completes when the test says so. */
    private final Supplier<Uni<String>> read = () -> {
        CompletableFuture<String> result = new CompletableFuture<>();
        started.add(result);
        return Uni.createFrom().completionStage(result).onSubscription().invoke(subscribed::incrementAndGet);
    };

    private CompletableFuture<String> ask(String key, long ticket) {
        return flights.read(key, ticket, read).subscribeAsCompletionStage();
    }

    @Test
    void callersThatJoinedBeforeAReadStartedShareIt() {
        List<Long> tickets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tickets.add(flights.ticket());
        }
        List<CompletableFuture<String>> answers = tickets.stream().map(t -> ask("room|e:1", t)).toList();
        assertEquals(1, started.size(), "one read for 50 callers");
        assertEquals(1, subscribed.get());
        started.get(0).complete("replay");
        for (CompletableFuture<String> answer : answers) {
            assertEquals("replay", answer.join());
        }
        assertEquals(0, flights.inFlight(), "nothing is kept after a read");
    }

    @Test
    void nothingIsCachedAfterAReadCompletes() {
        CompletableFuture<String> first = ask("room|e:1", flights.ticket());
        started.get(0).complete("one");
        assertEquals("one", first.join());
        CompletableFuture<String> second = ask("room|e:1", flights.ticket());
        assertEquals(2, started.size(), "a later caller reads afresh");
        started.get(1).complete("two");
        assertEquals("two", second.join());
    }

    @Test
    void callersThatJoinedAfterAReadStartedShareTheNextReadWhichStartsWhenItEnds() {
        long early = flights.ticket();
        CompletableFuture<String> first = ask("room|e:1", early);
        long late = flights.ticket(); // joined the topic after the first read started
        List<CompletableFuture<String>> later = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            later.add(ask("room|e:1", late));
        }
        assertEquals(1, started.size(), "the late callers wait: the read in flight may predate them");
        started.get(0).complete("older");
        assertEquals("older", first.join());
        assertEquals(2, started.size(), "one read for all the late callers, once the first one ended");
        assertTrue(later.stream().noneMatch(CompletableFuture::isDone));
        CompletableFuture<String> alsoEarly = ask("room|e:1", early);
        CompletableFuture<String> sameTime = ask("room|e:1", late);
        assertEquals(2, started.size(), "callers that joined before the second read started share it");
        started.get(1).complete("newer");
        later.forEach(answer -> assertEquals("newer", answer.join()));
        assertEquals("newer", alsoEarly.join());
        assertEquals("newer", sameTime.join());
        assertEquals(0, flights.inFlight());
        assertEquals(2, flights.reads());
    }

    @Test
    void differentKeysAreDifferentReads() {
        long ticket = flights.ticket();
        ask("room|e:1", ticket);
        ask("room|e:2", ticket);
        ask("other|e:1", ticket);
        assertEquals(3, started.size());
    }

    @Test
    void aReadStartsOnlyWhenSubscribedAndItsFailureFailsEveryCaller() {
        long ticket = flights.ticket();
        Uni<String> lazy = flights.read("room|e:1", ticket, read);
        assertEquals(0, started.size(), "nothing is read before the caller subscribes");
        CompletableFuture<String> one = lazy.subscribeAsCompletionStage();
        CompletableFuture<String> two = ask("room|e:1", ticket);
        started.get(0).completeExceptionally(new IllegalStateException("redis down"));
        assertThrows(Exception.class, () -> one.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertThrows(Exception.class, () -> two.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(0, flights.inFlight(), "a failed read is not kept either");
        ask("room|e:1", flights.ticket());
        assertEquals(2, started.size());
    }

    @Test
    void aCallerThatCancelsLeavesTheReadToTheOthers() {
        long ticket = flights.ticket();
        flights.read("room|e:1", ticket, read).subscribe().with(ignored -> { }).cancel();
        CompletableFuture<String> other = ask("room|e:1", ticket);
        started.get(0).complete("replay");
        assertEquals("replay", other.join());
    }
}
