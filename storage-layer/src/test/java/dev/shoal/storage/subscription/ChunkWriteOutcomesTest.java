package dev.shoal.storage.subscription;

import dev.shoal.storage.dynamodb.WriteOutcome;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a chunk write that loses a race answers: the chunk that won, as DynamoDB stores it. */
@ExtendWith(EmbeddedAwsExtension.class)
class ChunkWriteOutcomesTest {

    private static final String STATE_KEY = "q1#default#0";
    private static final IndexEntry SEGMENT = new IndexEntry("q1#0", 0, 10, "segments/q1/0/a.seg", 1000, 64,
            Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);

    @Test
    void aClaimOfATakenStartLosesToTheChunkAlreadyThere(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        Chunk first = Chunk.fresh(0, 0, 10, SEGMENT, "lease-a", 1_000, 30_000);
        assertTrue(chunks.claim(STATE_KEY, List.of(first), 1_000).landed());

        WriteOutcome<Chunk> second = chunks.claim(STATE_KEY, List.of(Chunk.fresh(0, 0, 10, SEGMENT, "lease-b", 1_001, 30_000)), 1_001);

        var lost = assertInstanceOf(WriteOutcome.LostRace.class, second);
        assertEquals(first, lost.winner().orElseThrow());
    }

    @Test
    void anUpdateFromAStaleReadLosesToTheNewerVersion(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        Chunk read = Chunk.fresh(0, 0, 10, SEGMENT, "lease-a", 1_000, 30_000);
        chunks.claim(STATE_KEY, List.of(read), 1_000);
        BitSet first = new BitSet();
        first.set(0);
        assertTrue(chunks.replace(STATE_KEY, read, List.of(read.withAcked(first)), 1_001).landed());

        BitSet other = new BitSet();
        other.set(1);
        WriteOutcome<Chunk> stale = chunks.replace(STATE_KEY, read, List.of(read.withAcked(other)), 1_002);

        var lost = assertInstanceOf(WriteOutcome.LostRace.class, stale);
        Chunk winner = (Chunk) lost.winner().orElseThrow();
        assertEquals(read.version() + 1, winner.version());
        assertEquals(first, winner.acked());
        assertEquals(first, chunks.get(STATE_KEY, 0, 0).orElseThrow().acked(), "the stale write changed nothing");
    }

    @Test
    void aSplitFromAStaleReadLosesAndLeavesNoPieceBehind(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        Chunk read = Chunk.fresh(0, 0, 10, SEGMENT, "lease-a", 1_000, 30_000);
        chunks.claim(STATE_KEY, List.of(read), 1_000);
        chunks.replace(STATE_KEY, read, List.of(read.rescheduled(Chunk.State.LEASED, 50_000)), 1_001);

        WriteOutcome<Chunk> stale = chunks.replace(STATE_KEY, read, List.of(read.slice(0, 5), read.slice(5, 10)), 1_002);

        assertTrue(stale instanceof WriteOutcome.LostRace<Chunk> || stale instanceof WriteOutcome.Conflicted<Chunk>, stale.toString());
        assertEquals(List.of(0L), chunks.from(STATE_KEY, 0, 0, 10).stream().map(Chunk::start).toList());
    }

    @Test
    void aSeekFromAStaleCursorLosesToTheGenerationThatMovedIt(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        Cursor read = chunks.head(STATE_KEY, 0).cursor();
        assertTrue(chunks.moveCursor(STATE_KEY, read, new Cursor(read.gen() + 1, 5, 5)).landed());

        WriteOutcome<Cursor> stale = chunks.moveCursor(STATE_KEY, read, new Cursor(read.gen() + 1, 7, 7));

        assertInstanceOf(WriteOutcome.LostRace.class, stale);
        assertEquals(new Cursor(1, 5, 5), chunks.head(STATE_KEY, 0).cursor());
    }

    @Test
    void aFloorRaisedAsFarByAnotherPassIsALostRaceAndNeverMovesItBack(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        Cursor read = chunks.head(STATE_KEY, 0).cursor();
        assertTrue(chunks.raiseFloor(STATE_KEY, read, 10).landed());

        WriteOutcome<Cursor> lower = chunks.raiseFloor(STATE_KEY, read, 7);

        var lost = assertInstanceOf(WriteOutcome.LostRace.class, lower);
        assertEquals(10, ((Cursor) lost.winner().orElseThrow()).floor());
        assertEquals(10, chunks.head(STATE_KEY, 0).cursor().floor());
    }
}
