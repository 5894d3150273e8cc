package io.realtimegateway.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;

/** Each message of a followed topic goes to the members once, and a missing offset shows as a gap. */
class StreamContinuityTest {

    private final StreamContinuity continuity = new StreamContinuity("local");
    private final Topic room = Topic.room("r");

    private static StreamId id(long offset) {
        return new StreamId("e", offset);
    }

    @Test
    void liveMessagesAlwaysGoAndAGapIsFilledOnceEvenWhenItsLiveCopyComesLate() {
        continuity.follow(room);
        continuity.baseline(room, id(10));
        assertTrue(continuity.admit(room, id(10)),
                "numbered before the baseline was read but live only now (this instance's own publish): it goes");
        assertTrue(continuity.admit(room, id(12)), "out of order: a message from another instance overtaken");
        assertEquals(id(10), continuity.missingAfter(room, id(12)), "11 is missing");
        assertTrue(continuity.admitFilled(room, id(11)), "filled from the history");
        assertFalse(continuity.admitFilled(room, id(12)), "delivered live already: not filled again");
        assertFalse(continuity.admit(room, id(11)), "its live copy, late, is dropped");
        assertNull(continuity.missingAfter(room, id(12)), "nothing missing");
        assertEquals(id(12), continuity.missingAfter(room, id(14)), "the tail is missing");
        assertFalse(continuity.admitFilled(room, id(9)), "below the baseline: never filled");
    }

    @Test
    void deliveriesBeforeTheBaselineAreJudgedAgainstIt() {
        continuity.follow(room);
        assertTrue(continuity.admit(room, id(6)), "the baseline is not known yet: delivered");
        assertFalse(continuity.admit(room, id(6)), "but never twice");
        continuity.baseline(room, id(5));
        assertNull(continuity.missingAfter(room, id(6)));
        assertFalse(continuity.admitFilled(room, id(6)));
    }

    @Test
    void aNewEpochStartsTheCountOverAndLocalIdsAndUnfollowedTopicsAlwaysGo() {
        continuity.follow(room);
        continuity.baseline(room, id(3));
        assertEquals(new StreamId("f", 0), continuity.missingAfter(room, new StreamId("f", 2)),
                "the history was reset: everything of the new epoch is missing");
        assertTrue(continuity.admit(room, new StreamId("f", 1)));
        assertTrue(continuity.admit(room, new StreamId("local42", 1)), "this instance's own ids are not counted");
        assertTrue(continuity.admit(room, new StreamId("local42", 1)));
        assertTrue(continuity.admit(Topic.room("other"), id(1)), "a topic not followed");
        assertFalse(continuity.admitFilled(Topic.room("other"), id(1)), "nothing is filled for a topic not followed");
    }

    @Test
    void afterAResyncTheCountGoesOnFromTheHistorysNewest() {
        continuity.follow(room);
        continuity.baseline(room, id(1));
        assertTrue(continuity.admit(room, id(9)));
        assertTrue(continuity.admit(room, id(12)));
        continuity.skipTo(room, id(10));
        assertEquals(id(10), continuity.missingAfter(room, id(12)), "2 to 8 given up; 11 is a new gap");
        assertFalse(continuity.admitFilled(room, id(10)), "at or below the resync point");
        assertTrue(continuity.admitFilled(room, id(11)));
        assertNull(continuity.missingAfter(room, id(12)));
        continuity.forget(room);
        assertTrue(continuity.admit(room, id(10)), "a room no longer followed is not judged");
    }
}
