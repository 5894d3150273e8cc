package io.realtimegateway.broadcast;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;

/**
 * Which messages of each followed room (and user stream) this instance has delivered to its members, by history
 * offset, so that a gap shows as a missing offset and a message is delivered at most once although it may come twice:
 * read back from the history to fill a gap, then live over pub/sub after all (it was only late).
 * <p>
 * Per topic: the epoch followed, the offset up to which everything was delivered or predates the instance following
 * the topic (the <em>baseline</em>, read from the history when the topic is first followed), the offsets above it
 * delivered out of order, and the offsets filled from the history whose live copy has not come (yet). A live message is
 * always delivered unless it was filled: the baseline may be read after a message was numbered and before it came
 * live (this instance's own publishes are numbered first, then delivered), and such a message is still the members'.
 * The history fills only offsets above the count that were not delivered. Ids of another epoch than the history's (the
 * history was reset) restart the count at 0. Ids of this instance's own local epoch (given while Redis was
 * unreachable) are not followed.
 */
final class StreamContinuity {

    /** What an instance has delivered of one topic. */
    private static final class Track {
        String epoch;
        long contiguous;
        final TreeSet<Long> above = new TreeSet<>();
        /** Offsets delivered before the baseline was known (kept to be judged against it). */
        final Set<StreamId> early = new HashSet<>();
        /** Offsets delivered from the history whose live copy has not come; at most {@link #MAX_FILLED}. */
        final TreeSet<Long> filled = new TreeSet<>();

        void reset(String newEpoch, long offset) {
            epoch = newEpoch;
            contiguous = offset;
            above.clear();
            filled.clear();
        }

        void admit(long offset) {
            above.add(offset);
            advance();
        }

        /** Moves the contiguous mark over the offsets delivered just above it. */
        void advance() {
            while (above.remove(contiguous + 1)) {
                contiguous++;
            }
        }
    }

    /** Filled offsets remembered per topic at most: a live copy later than that many fills is not expected. */
    static final int MAX_FILLED = 10_000;

    private final Map<Topic, Track> tracks = new ConcurrentHashMap<>();
    private final String localEpochPrefix;

    /** @param localEpochPrefix the prefix of this instance's own epochs, which are not followed */
    StreamContinuity(String localEpochPrefix) {
        this.localEpochPrefix = localEpochPrefix;
    }

    /** Starts following a topic; nothing is judged a duplicate or a gap until {@link #baseline} is known. */
    void follow(Topic topic) {
        tracks.putIfAbsent(topic, new Track());
    }

    /** Stops following a topic (its last local member left). */
    void forget(Topic topic) {
        tracks.remove(topic);
    }

    /** The topics followed, for the periodic check. */
    Set<Topic> followed() {
        return tracks.keySet();
    }

    /**
     * The history's newest id when the topic was first followed: everything up to it is not this instance's to
     * deliver. {@code null} when the topic has no history yet.
     */
    void baseline(Topic topic, StreamId newest) {
        Track track = tracks.get(topic);
        if (track == null) {
            return;
        }
        synchronized (track) {
            if (track.epoch != null) {
                return;
            }
            track.epoch = newest == null ? null : newest.epoch();
            track.contiguous = newest == null ? 0 : newest.offset();
            for (StreamId id : track.early) {
                if (track.epoch == null) {
                    track.epoch = id.epoch();
                }
                if (id.epoch().equals(track.epoch) && id.offset() > track.contiguous) {
                    track.admit(id.offset());
                }
            }
            track.early.clear();
            if (track.epoch == null) {
                // No history yet and nothing delivered: known, and empty. The first id starts the count (a new epoch).
                track.epoch = "";
            }
        }
    }

    /**
     * Decides whether a message that came live (over pub/sub, or published here) goes to the local members:
     * {@code true} unless it was already delivered from the history. Ids of topics not followed and of local epochs
     * always go.
     */
    boolean admit(Topic topic, StreamId id) {
        Track track = followedTrack(topic, id);
        if (track == null) {
            return true;
        }
        synchronized (track) {
            if (track.epoch == null) {
                return track.early.add(id);
            }
            if (!id.epoch().equals(track.epoch)) {
                track.reset(id.epoch(), 0);
            }
            if (track.filled.remove(id.offset())) {
                return false;
            }
            if (id.offset() > track.contiguous) {
                if (!track.above.add(id.offset())) {
                    return false;
                }
                track.advance();
            }
            return true;
        }
    }

    /**
     * Decides whether a message read from the history to fill a gap goes to the local members: {@code true} when its
     * offset is above the count and was not delivered; it is then remembered, so that its live copy, should it still
     * come, is dropped.
     */
    boolean admitFilled(Topic topic, StreamId id) {
        Track track = followedTrack(topic, id);
        if (track == null) {
            return false;
        }
        synchronized (track) {
            if (track.epoch == null || !id.epoch().equals(track.epoch) || id.offset() <= track.contiguous
                    || !track.above.add(id.offset())) {
                return false;
            }
            track.advance();
            track.filled.add(id.offset());
            if (track.filled.size() > MAX_FILLED) {
                track.filled.pollFirst();
            }
            return true;
        }
    }

    private Track followedTrack(Topic topic, StreamId id) {
        return id == null || id.epoch().startsWith(localEpochPrefix) ? null : tracks.get(topic);
    }

    /**
     * Compares what was delivered with the history's newest id.
     *
     * @return the id after which the history must be read to fill a gap, or {@code null} when nothing is missing
     *         (or the topic is not followed, or its baseline is not known yet)
     */
    StreamId missingAfter(Topic topic, StreamId newest) {
        Track track = tracks.get(topic);
        if (track == null || newest == null) {
            return null;
        }
        synchronized (track) {
            if (track.epoch == null) {
                return null;
            }
            if (!newest.epoch().equals(track.epoch)) {
                return new StreamId(newest.epoch(), 0);
            }
            return newest.offset() > track.contiguous ? new StreamId(track.epoch, track.contiguous) : null;
        }
    }

    /**
     * The history no longer holds what is missing: the members were told to reload, and the count goes on from
     * {@code newest}.
     */
    void skipTo(Topic topic, StreamId newest) {
        Track track = tracks.get(topic);
        if (track == null || newest == null) {
            return;
        }
        synchronized (track) {
            if (!newest.epoch().equals(track.epoch)) {
                track.reset(newest.epoch(), newest.offset());
            } else if (newest.offset() > track.contiguous) {
                track.above.headSet(newest.offset(), true).clear();
                track.contiguous = newest.offset();
                track.advance();
            }
        }
    }
}
