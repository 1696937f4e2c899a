package dev.shoal.storage.subscription;

import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a process remembers of the chunks it wrote and saw: bounded, per generation, and only what is known to exist. */
class ChunkMemoryTest {

    private static final String KEY = "q#default#0";
    private final ManualClock clock = new ManualClock();
    private static final IndexEntry SEGMENT = new IndexEntry("q#0", 0, 100_000, "segments/q/0/a.seg", 1000, 64,
            Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);

    private static Chunk chunk(long gen, long from, long to) {
        return Chunk.fresh(gen, from, to, SEGMENT, "lease-" + from, 0, 30_000);
    }

    @Test
    void aChunkIsNewerThanAnotherOnlyOnceOneStartingAfterItWasWrittenOrSeen() {
        ChunkMemory memory = new ChunkMemory(clock);
        memory.wrote(KEY, chunk(0, 0, 10));
        assertFalse(memory.newest().newerThan(KEY, 0, 0), "the newest chunk known has nothing newer");

        memory.seen(KEY, 0, 10, 20);
        assertTrue(memory.newest().newerThan(KEY, 0, 0));
        assertFalse(memory.newest().newerThan(KEY, 0, 10));
        assertEquals(20, memory.newest().newestEnd(KEY, 0).orElseThrow());
    }

    @Test
    void theNextNewerChunkIsExpectedAtThePaceTheNewestMovedOn() {
        ChunkMemory memory = new ChunkMemory(clock);
        assertEquals(Long.MAX_VALUE, memory.newest().nextNewerIn(KEY, 0), "nothing known");
        memory.wrote(KEY, chunk(0, 0, 10));
        assertEquals(Long.MAX_VALUE, memory.newest().nextNewerIn(KEY, 0), "no pace from one chunk");
        for (int i = 1; i <= 4; i++) {
            clock.advance(Duration.ofMillis(30));
            memory.wrote(KEY, chunk(0, i * 10L, i * 10L + 10));
        }
        assertEquals(30, memory.newest().nextNewerIn(KEY, 0));
        memory.wrote(KEY, chunk(0, 10, 20).withEverythingAcked()); // an older chunk written again does not move the newest
        clock.advance(Duration.ofMillis(50));
        assertEquals(-20, memory.newest().nextNewerIn(KEY, 0), "overdue");
    }

    @Test
    void aNewGenerationStartsAfreshAndAnOlderOneIsIgnored() {
        ChunkMemory memory = new ChunkMemory(clock);
        memory.wrote(KEY, chunk(0, 0, 10));
        memory.wrote(KEY, chunk(0, 10, 20));
        memory.wrote(KEY, chunk(1, 50, 60));
        memory.wrote(KEY, chunk(0, 20, 30)); // a late write of the old generation

        assertFalse(memory.newest().newerThan(KEY, 0, 0));
        assertTrue(memory.containing(KEY, 0, 5).isEmpty());
        assertEquals(50, memory.containing(KEY, 1, 55).orElseThrow().start());
        assertEquals(60, memory.newest().newestEnd(KEY, 1).orElseThrow());
    }

    @Test
    void itRemembersABoundedNumberOfChunksAndForgetsTheOldestAndTheDone() {
        ChunkMemory memory = new ChunkMemory(clock);
        int n = ChunkMemory.MAX_CHUNKS_PER_PARTITION + 1;
        for (int i = 0; i < n; i++) memory.wrote(KEY, chunk(0, i * 10L, i * 10L + 10));

        assertTrue(memory.containing(KEY, 0, 5).isEmpty(), "the oldest is forgotten");
        assertEquals(10, memory.containing(KEY, 0, 15).orElseThrow().start());
        assertTrue(memory.newest().newerThan(KEY, 0, 0), "what was forgotten is still known to have had newer chunks");

        memory.wrote(KEY, chunk(0, 10, 20).withEverythingAcked());
        assertTrue(memory.containing(KEY, 0, 15).isEmpty(), "a done chunk is not remembered: nothing acts on it");
    }
}
