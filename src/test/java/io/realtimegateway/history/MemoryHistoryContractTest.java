package io.realtimegateway.history;

import java.util.function.LongSupplier;

/** The history contract in memory; losing everything is a restart, that is, a new history. */
class MemoryHistoryContractTest extends MessageHistoryContractTest {

    private int maxMessages;
    private long maxAgeMillis;
    private LongSupplier clock;

    @Override
    MessageHistory create(int maxMessages, long maxAgeMillis, LongSupplier clock) {
        this.maxMessages = maxMessages;
        this.maxAgeMillis = maxAgeMillis;
        this.clock = clock;
        return new MemoryHistory(maxMessages, maxAgeMillis, Long.MAX_VALUE, clock);
    }

    @Override
    void loseEverything() {
        history = new MemoryHistory(maxMessages, maxAgeMillis, Long.MAX_VALUE, clock);
    }
}
