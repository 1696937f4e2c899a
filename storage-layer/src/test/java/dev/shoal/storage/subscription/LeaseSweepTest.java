package dev.shoal.storage.subscription;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.metering.Meter;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a sweep puts long leases in the {@code due} index: late, once, and never past one it has
 * not indexed; and what that means to a receiver: cheaper acks, and no lease forgotten.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class LeaseSweepTest {

    private static final String STATE_KEY = "q1#default#0";
    private static final IndexEntry SEGMENT = new IndexEntry("q1#0", 0, 100, "segments/q1/0/a.seg", 1000, 64,
            Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
    private static final long LONG_LEASE = 30_000;

    private final ManualClock clock = new ManualClock();

    private Chunk claim(ChunkTable chunks, long from, long to, long visibilityMillis) {
        Chunk c = Chunk.fresh(0, from, to, SEGMENT, "lease-" + from, clock.millis(), visibilityMillis);
        assertTrue(chunks.claim(STATE_KEY, List.of(c), clock.millis()).landed());
        return c;
    }

    private ChunkTable.Head head(ChunkTable chunks) {
        return chunks.head(STATE_KEY, 0);
    }

    private List<Long> dueAt(ChunkTable chunks, long millis) {
        return chunks.dueStarts(STATE_KEY, 0, millis, 100);
    }

    @Test
    void aLongLeaseIsClaimedOutOfTheIndexAndAShortOneIntoIt(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        claim(chunks, 0, 10, LONG_LEASE);
        claim(chunks, 10, 20, LeaseSweep.MIN_UNINDEXED_VISIBILITY_MILLIS - 1);

        assertFalse(chunks.get(STATE_KEY, 0, 0).orElseThrow().indexed());
        assertTrue(chunks.get(STATE_KEY, 0, 10).orElseThrow().indexed());
        assertEquals(List.of(10L), dueAt(chunks, clock.millis() + LONG_LEASE + 1), "only the short lease is in the index");
    }

    @Test
    void aSweepIndexesLeasesPastTheirGraceAndStopsAtTheFirstWithinIt(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        LeaseSweep sweep = new LeaseSweep(chunks, new ChunkMemory(clock), clock);
        claim(chunks, 0, 10, LONG_LEASE);
        Chunk acked = claim(chunks, 10, 20, LONG_LEASE);
        assertTrue(chunks.replace(STATE_KEY, acked, List.of(acked.withEverythingAcked()), clock.millis()).landed());
        clock.advance(Duration.ofMillis(LeaseSweep.GRACE_MILLIS + 1));
        claim(chunks, 20, 30, LONG_LEASE); // within its grace
        claim(chunks, 30, 40, LONG_LEASE);

        assertEquals(List.of(), sweep.sweep(STATE_KEY, head(chunks)), "nothing is visible yet");

        assertTrue(chunks.get(STATE_KEY, 0, 0).orElseThrow().indexed(), "past its grace: indexed");
        assertFalse(chunks.get(STATE_KEY, 0, 20).orElseThrow().indexed(), "within its grace: left out");
        assertFalse(chunks.get(STATE_KEY, 0, 30).orElseThrow().indexed(), "behind the one within its grace: not reached");
        assertEquals(20, head(chunks).cursor().swept(), "the mark stops at the first chunk left out");
        assertEquals(List.of(0L), dueAt(chunks, clock.millis() + LONG_LEASE), "the index now brings the first chunk back when its lease ends");
    }

    @Test
    void aSweepMarksThePartitionOnceAndLaterSweepsStartFromTheMark(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        LeaseSweep sweep = new LeaseSweep(chunks, new ChunkMemory(clock), clock);
        claim(chunks, 0, 10, LONG_LEASE);
        clock.advance(Duration.ofMillis(LeaseSweep.GRACE_MILLIS + 1));
        sweep.sweep(STATE_KEY, head(chunks));
        assertEquals(10, head(chunks).cursor().swept());
        long version = chunks.get(STATE_KEY, 0, 0).orElseThrow().version();

        claim(chunks, 10, 20, LONG_LEASE);
        clock.advance(Duration.ofMillis(LeaseSweep.INTERVAL_MILLIS + LeaseSweep.GRACE_MILLIS));
        sweep.sweep(STATE_KEY, head(chunks));

        assertEquals(20, head(chunks).cursor().swept());
        assertEquals(version, chunks.get(STATE_KEY, 0, 0).orElseThrow().version(), "a chunk behind the mark is not written again");
        assertTrue(chunks.get(STATE_KEY, 0, 10).orElseThrow().indexed());
    }

    @Test
    void oneProcessSweepsAPartitionAtMostOncePerInterval(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        LeaseSweep sweep = new LeaseSweep(chunks, new ChunkMemory(clock), clock);
        claim(chunks, 0, 10, LONG_LEASE);
        clock.advance(Duration.ofMillis(LeaseSweep.GRACE_MILLIS - 100));
        sweep.sweep(STATE_KEY, head(chunks)); // within its grace: nothing indexed, but this was the turn

        clock.advance(Duration.ofMillis(200)); // past its grace, within the interval since that sweep
        sweep.sweep(STATE_KEY, head(chunks));
        assertFalse(chunks.get(STATE_KEY, 0, 0).orElseThrow().indexed(), "no second sweep within the interval");

        clock.advance(Duration.ofMillis(LeaseSweep.INTERVAL_MILLIS - 200));
        sweep.sweep(STATE_KEY, head(chunks));
        assertTrue(chunks.get(STATE_KEY, 0, 0).orElseThrow().indexed());
    }

    @Test
    void anExpiredLeaseASweepFindsIsHandedBackAtOnce(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        claim(chunks, 0, 10, LONG_LEASE);
        clock.advance(Duration.ofMillis(LONG_LEASE + 1)); // the process that claimed it never swept: it died

        LeaseSweep newProcess = new LeaseSweep(chunks, new ChunkMemory(clock), clock);

        assertEquals(List.of(0L), newProcess.sweep(STATE_KEY, head(chunks)));
        assertEquals(List.of(0L), dueAt(chunks, clock.millis()));
    }

    @Test
    void aSweepThatLosesARaceForAChunkLeavesTheMarkBeforeIt(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        Chunk claimed = claim(chunks, 0, 10, LONG_LEASE);
        clock.advance(Duration.ofMillis(LeaseSweep.GRACE_MILLIS + 1));
        // another process acks one message between this sweep's read and its write
        Chunk partlyAcked = claimed.withAcked(java.util.BitSet.valueOf(new long[] {1}));
        assertTrue(chunks.replace(STATE_KEY, claimed, List.of(partlyAcked), clock.millis()).landed());

        assertFalse(chunks.putInIndex(STATE_KEY, claimed).landed(), "a stale read cannot index it");
        assertFalse(chunks.get(STATE_KEY, 0, 0).orElseThrow().indexed());

        new LeaseSweep(chunks, new ChunkMemory(clock), clock).sweep(STATE_KEY, head(chunks));
        Chunk now = chunks.get(STATE_KEY, 0, 0).orElseThrow();
        assertTrue(now.indexed(), "a sweep from a fresh read indexes it");
        assertEquals(partlyAcked.acked(), now.acked(), "and keeps the ack");
    }

    @Test
    void aSeekLeavesTheOldGenerationsMarkBehind(AwsFixture aws) {
        ChunkTable chunks = new ChunkTable(aws.dynamo(), aws.tables());
        claim(chunks, 0, 10, LONG_LEASE);
        clock.advance(Duration.ofMillis(LeaseSweep.GRACE_MILLIS + 1));
        ChunkTable.Head before = head(chunks);
        assertTrue(chunks.moveCursor(STATE_KEY, before.cursor(), new Cursor(1, 50, 50)).landed());

        new LeaseSweep(chunks, new ChunkMemory(clock), clock).sweep(STATE_KEY, before); // a sweep that read the old generation

        Cursor after = head(chunks).cursor();
        assertEquals(new Cursor(1, 50, 50), after, "the new generation's cursor is untouched");
    }

    private static double writeUnitsOfReceivingAndAckingTen(AwsFixture aws, ShoalEngine engine, String queue, Duration visibility) {
        engine.createQueue(queue, QueueSettings.builder().build());
        engine.produce(queue, ProduceRequest.of(IntStream.range(0, 10).mapToObj(i -> NewMessage.of("m" + i)).toList()));
        Meter.Usage before = aws.meter().snapshot();
        List<ReceivedMessage> got = engine.receive(queue, Limits.DEFAULT_SUBSCRIPTION,
                ReceiveRequest.builder().maxMessages(10).visibilityTimeout(visibility).build());
        assertEquals(10, got.size());
        engine.ack(queue, Limits.DEFAULT_SUBSCRIPTION, got.stream().map(ReceivedMessage::receipt).toList());
        return aws.meter().snapshot().minus(before).dynamoWriteUnits();
    }

    @Test
    void aReceiveAckedWithinItsGraceCostsOneWriteUnitAtItsClaimAndOneAtItsAck(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);

        assertEquals(2.0, writeUnitsOfReceivingAndAckingTen(aws, engine, "long", Duration.ofSeconds(30)), "no index entry written or removed");
        assertEquals(4.0, writeUnitsOfReceivingAndAckingTen(aws, engine, "short", Duration.ofSeconds(2)),
                "a lease too short to wait for a sweep pays the index at its claim and its ack");
    }

    @Test
    void aMessageWhoseReceiverDiedIsReceivedByAnotherProcessOnlyAfterItsVisibilityTimeout(AwsFixture aws) {
        ShoalEngine first = TestEngines.engine(aws, clock);
        first.createQueue("q", QueueSettings.builder().build()); // visibility 30 s
        first.produce("q", ProduceRequest.of(List.of(NewMessage.of("job"))));
        assertEquals(1, first.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10)).size());
        // the first process stops here: it never acks, and never sweeps again

        ShoalEngine second = TestEngines.engine(aws, clock);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), second.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10)), "still leased");
        clock.advance(Duration.ofSeconds(21));
        List<ReceivedMessage> again = second.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10));

        assertEquals(List.of("job"), again.stream().map(ReceivedMessage::bodyAsString).toList());
        assertEquals(2, again.getFirst().receiveCount());
    }

    @Test
    void anExpiredLeaseOfAProcessThatDiedBeforeAnySweepIsReceivedByTheNextProcess(AwsFixture aws) {
        ShoalEngine first = TestEngines.engine(aws, clock);
        first.createQueue("q", QueueSettings.builder().build());
        first.produce("q", ProduceRequest.of(List.of(NewMessage.of("job"))));
        assertEquals(1, first.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10)).size());
        clock.advance(Duration.ofSeconds(31));

        List<ReceivedMessage> again = TestEngines.engine(aws, clock).receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10));

        assertEquals(List.of("job"), again.stream().map(ReceivedMessage::bodyAsString).toList());
    }
}
