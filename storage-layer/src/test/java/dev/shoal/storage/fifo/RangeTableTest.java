package dev.shoal.storage.fifo;

import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.subscription.ChunkTable;
import dev.shoal.storage.subscription.Cursor;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;
import static org.junit.jupiter.api.Assertions.*;

/** Claimed ranges in the state table (DynamoDB Local): their item, their conditional writes, the live window. */
@ExtendWith(EmbeddedAwsExtension.class)
class RangeTableTest {

    private static final String KEY = "q1#default#0";
    private static final long NOW = 1_700_000_000_000L;
    private static final Cursor FIRST = new Cursor(0, 0, 0);

    private static RangeTable table(AwsFixture aws) {
        return new RangeTable(aws.dynamo(), aws.tables(), new ChunkTable(aws.dynamo(), aws.tables()), java.time.Clock.systemUTC());
    }

    private static ClaimedRange put(RangeTable t, ClaimedRange r) {
        return t.write(KEY, r, r).orElseThrow();
    }

    @Test
    void aRangeInEveryStateIsReadBackAsItWasWritten(AwsFixture aws) {
        RangeTable t = table(aws);
        ClaimedRange r = ClaimedRange.claimed(0, 0, List.of("g", "g", "h|odd,group id", "h|odd,group id", "k"))
                .leased(List.of(0L, 1L, 2L, 3L), "aaaa1111bbbb2222", NOW, NOW + 30_000, 3)
                .acked(0, NOW + 5).nacked(2, NOW + 9_000, true, NOW + 6).withVisibility(1, NOW + 120_000, NOW + 7);
        ClaimedRange stored = put(t, r);
        ClaimedRange read = t.get(KEY, 0, 0).orElseThrow();
        assertEquals(stored, read);
        assertEquals(r.slots(), read.slots());
        assertEquals(0, read.version());
        assertEquals("h|odd,group id", read.group(3), "group ids are kept as written, whatever their punctuation");
    }

    @Test
    void aWriteOnAStaleVersionIsRefusedAndChangesNothing(AwsFixture aws) {
        RangeTable t = table(aws);
        ClaimedRange stored = put(t, ClaimedRange.claimed(0, 0, List.of("g", "h")));
        ClaimedRange first = t.write(KEY, stored.leased(List.of(0L), "lease-1", NOW, NOW + 30_000, 20), stored).orElseThrow();
        assertTrue(t.write(KEY, stored.leased(List.of(0L), "lease-2", NOW, NOW + 30_000, 20), stored).isEmpty(), "read before the first write");
        assertEquals(first, t.get(KEY, 0, 0).orElseThrow());
        assertTrue(t.write(KEY, ClaimedRange.claimed(0, 0, List.of("x")), ClaimedRange.claimed(0, 0, List.of("x"))).isEmpty(),
                "a second claim of the same start is refused: the chain makes claims race-free");
    }

    @Test
    void theLiveWindowStartsAtTheFloorAndEndsAtTheFrontier(AwsFixture aws) {
        RangeTable t = table(aws);
        ClaimedRange a = put(t, ClaimedRange.claimed(0, 0, List.of("g", "h")));
        put(t, ClaimedRange.claimed(0, 2, List.of("g")));
        assertEquals(3, t.live(KEY, FIRST).frontier());
        assertEquals(2, t.live(KEY, FIRST).ranges().size());
        ClaimedRange done = t.write(KEY, a.leased(List.of(0L, 1L), "l", NOW, NOW + 1, 1).acked(0, NOW).acked(1, NOW), a).orElseThrow();
        RangeTable.Window window = t.live(KEY, FIRST);
        assertEquals(2, window.doneUpTo(), "the first range is done: the floor may move to the second's start");
        assertTrue(t.raiseFloor(KEY, FIRST, window.doneUpTo()));
        RangeTable.Window after = t.live(KEY, t.cursor(KEY, 0));
        assertEquals(List.of(2L), after.ranges().stream().map(ClaimedRange::start).toList());
        assertEquals(3, after.frontier());
        assertEquals(List.of(done), t.before(KEY, 0, 2, 10), "below the floor it waits for maintenance");
        assertTrue(t.containing(KEY, 0, 1).isPresent());
        assertTrue(t.containing(KEY, 0, 3).isEmpty(), "past the frontier");
    }

    @Test
    void aGateLayoutWithUnackedMessagesIsRefusedWithWhatToDo(AwsFixture aws) {
        RangeTable t = table(aws);
        gateLayout(aws, List.of(0L));
        ConflictException e = assertThrows(ConflictException.class, () -> t.live(KEY, FIRST));
        assertEquals("FifoGateLayout", e.code());
        assertTrue(e.getMessage().contains("purge the queue"), e.getMessage());
    }

    @Test
    void aDrainedGateLayoutIsAdoptedTheFloorMovingPastItsClaims(AwsFixture aws) {
        RangeTable t = table(aws);
        gateLayout(aws, List.of());
        RangeTable.Window window = t.live(KEY, FIRST);
        assertEquals(List.of(), window.ranges());
        assertEquals(5, window.frontier(), "nothing below the old claims' end is claimed again");
        assertEquals(5, t.cursor(KEY, 0).floor());
    }

    /** What the gate layout left: a claimed range [0, 5) without slots, and a gate with the given pending offsets. */
    private static void gateLayout(AwsFixture aws, List<Long> pending) {
        String table = aws.tables().stateTable();
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of(STATE_PARTITION_KEY, AttributeValue.fromS(KEY),
                STATE_SORT_KEY, AttributeValue.fromS(FifoItems.claimSortKey(0, 0)), "end", AttributeValue.fromN("5"))));
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of(STATE_PARTITION_KEY, AttributeValue.fromS(KEY),
                STATE_SORT_KEY, AttributeValue.fromS(FifoItems.gateSortKey(0, "g")),
                "pending", AttributeValue.fromL(pending.stream().map(o -> AttributeValue.fromN(Long.toString(o))).toList()))));
    }
}
