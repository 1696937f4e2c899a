package dev.shoal.storage.subscription;

import dev.shoal.storage.log.IndexEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A chunk's named births and transitions, and the invariants no chunk can break. */
class ChunkTest {

    private static final IndexEntry SEGMENT = new IndexEntry("q#0", 100, 50, "segments/q/0/s.seg", 4096, 80,
            Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);

    @Test
    void aFreshChunkIsLeasedAndReceivedOnceFromNow() {
        Chunk c = Chunk.fresh(3, 110, 120, SEGMENT, "lease", 1_000, 30_000);

        assertEquals(Chunk.State.LEASED, c.state());
        assertEquals(31_000, c.due());
        assertEquals(1, c.receiveCount());
        assertEquals(1_000, c.firstReceivedAt());
        assertTrue(c.inFlightAt(30_999));
        assertTrue(c.visibleAt(31_000));
        assertEquals(100, c.segmentBase());
        assertEquals("segments/q/0/s.seg", c.segmentKey());
    }

    @Test
    void aDelayedChunkWasNeverReceivedAndBecomesVisibleWhenDue() {
        Chunk c = Chunk.delayed(3, 110, 120, SEGMENT, 5_000);

        assertNull(c.lease());
        assertEquals(0, c.receiveCount());
        assertFalse(c.inFlightAt(1_000));
        assertFalse(c.visibleAt(4_999));
        assertTrue(c.visibleAt(5_000));
    }

    @Test
    void aChunkIsDoneExactlyWhenEveryOffsetIsAcked() {
        Chunk c = Chunk.fresh(0, 0, 3, SEGMENT, "lease", 0, 1);
        BitSet two = new BitSet();
        two.set(0, 2);

        assertFalse(c.withAcked(two).done());
        assertTrue(c.withEverythingAcked().done());
        assertThrows(IllegalArgumentException.class, () -> new Chunk(0, 0, 3, "k", 0, 1, 1, two, null,
                Chunk.State.DELAYED, 0, 0, 0, 0, 0, true, true, 0));
    }

    @Test
    void ackedBitsOutsideTheRangeAreRejected() {
        BitSet outside = new BitSet();
        outside.set(3);

        var e = assertThrows(IllegalArgumentException.class, () -> new Chunk(0, 0, 3, "k", 0, 1, 1, outside, null,
                Chunk.State.DELAYED, 0, 0, 0, 0, 0, false, true, 0));
        assertTrue(e.getMessage().contains("outside chunk [0, 3)"), e.getMessage());
    }

    @Test
    void theWriteThatReplacesAChunkStoresTheNextVersion() {
        Chunk read = Chunk.fresh(0, 0, 3, SEGMENT, "lease", 0, 1);
        Chunk changed = read.rescheduled(Chunk.State.DELAYED, 9_000);

        Chunk stored = changed.versionAfter(read);

        assertEquals(read.version() + 1, stored.version());
        assertEquals(9_000, stored.due());
        assertEquals(Chunk.State.DELAYED, stored.state());
    }
}
