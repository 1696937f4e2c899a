package dev.shoal.storage.subscription;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.dynamodb.StateItems;
import dev.shoal.storage.metering.Meter;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.CountedSleeps;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.HeldLongPoll;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.OnFirstQuery;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import dev.shoal.storage.api.VisibilityChange;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an ack does to the chunk it finishes, and what a process remembers of the chunks it wrote
 * (ADR 0018): acks of its own claims read nothing; a chunk finished below the newest is left to
 * the table's TTL, the newest is not; a memory another process made stale costs a retry, never a
 * wrong answer; and no claim takes a start that TTL may have freed for the frontier.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class FinishedChunksTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private final ManualClock clock = new ManualClock();

    private static void produce(ShoalEngine engine, int from, int to) {
        engine.produce("q", ProduceRequest.of(IntStream.range(from, to).mapToObj(i -> NewMessage.of("m" + i)).toList()));
    }

    private static List<ReceivedMessage> receive(ShoalEngine engine, int max) {
        return engine.receive("q", SUB, ReceiveRequest.of(max));
    }

    private static List<String> receipts(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::receipt).toList();
    }

    private static List<String> bodies(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::bodyAsString).toList();
    }

    private static String stateKey(ReceivedMessage m) {
        Receipt r = new ReceiptCodec(TestEngines.SECRET).decode(m.receipt());
        return StateItems.stateKey(r.queueId(), r.subscription(), r.partition());
    }

    private static List<Chunk> stored(AwsFixture aws, String stateKey) {
        return new ChunkTable(aws.dynamo(), aws.tables()).from(stateKey, 0, 0, 100);
    }

    private static void allSucceeded(List<ReceiptResult> results) {
        assertTrue(results.stream().allMatch(ReceiptResult::succeeded), () -> "acks failed: " + results);
    }

    @Test
    void aChunkFinishedBelowTheNewestIsLeftToExpireAndTheNewestIsNot(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("q", QueueSettings.builder().build());
        produce(engine, 0, 10);
        List<ReceivedMessage> first = receive(engine, 5);
        List<ReceivedMessage> second = receive(engine, 5);
        String stateKey = stateKey(first.getFirst());

        allSucceeded(engine.ack("q", SUB, receipts(first)));
        allSucceeded(engine.ack("q", SUB, receipts(second)));

        List<Chunk> chunks = stored(aws, stateKey);
        assertEquals(List.of(0L, 5L), chunks.stream().map(Chunk::start).toList());
        assertTrue(chunks.get(0).done() && chunks.get(1).done());
        assertEquals(clock.millis() / 1000 + Acknowledger.FINISHED_CHUNK_TTL.toSeconds(), chunks.get(0).expiresAt(),
                "below the newest: the TTL deletes it");
        assertEquals(0, chunks.get(1).expiresAt(), "the newest holds the frontier: it never expires");

        engine.maintenance(clock.instant());
        assertEquals(List.of(0L, 5L), stored(aws, stateKey).stream().map(Chunk::start).toList(), "too young to delete");
        clock.advance(Duration.ofMillis(Maintenance.MIN_AGE_TO_DELETE_MILLIS));
        engine.maintenance(clock.instant());
        assertEquals(List.of(0L), stored(aws, stateKey).stream().map(Chunk::start).toList(),
                "maintenance deleted the newest once the floor passed it, and left the other to its TTL");

        // the TTL deletes the first chunk
        new ChunkTable(aws.dynamo(), aws.tables()).deleteDone(stateKey, List.of(chunks.get(0)));
        assertEquals(List.of(), receive(engine, 10));
        assertEquals(List.of(), receive(TestEngines.engine(aws, clock), 10), "nothing acked comes back, in any process");
    }

    /** Three receives of five, a claim every 30 ms, of fifteen messages; returns the newest claim's. */
    private List<ReceivedMessage> claimsAtAPace(ShoalEngine engine) {
        produce(engine, 0, 15);
        List<ReceivedMessage> newest = List.of();
        for (int i = 0; i < 3; i++) {
            if (i > 0) clock.advance(Duration.ofMillis(30));
            newest = receive(engine, 5);
        }
        return newest;
    }

    @Test
    void anAckOfTheNewestChunkOfABusyPartitionWaitsForTheNextClaimAndLeavesTheChunkToExpire(AwsFixture aws) throws Exception {
        AtomicBoolean claimDuringTheWait = new AtomicBoolean();
        ShoalEngine[] engine = new ShoalEngine[1];
        HeldLongPoll sleeper = new HeldLongPoll(clock, d -> {
            if (claimDuringTheWait.compareAndSet(true, false)) receive(engine[0], 5); // another receiver claims meanwhile
        });
        engine[0] = TestEngines.builder(aws, clock).sleeper(sleeper).build();
        engine[0].createQueue("q", QueueSettings.builder().build()); // batching window 100 ms
        List<ReceivedMessage> newest = claimsAtAPace(engine[0]);
        sleeper.start(() -> engine[0].receive("q", SUB, ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(1)).build()));
        produce(engine[0], 15, 20);

        claimDuringTheWait.set(true);
        allSucceeded(engine[0].ack("q", SUB, receipts(newest)));
        sleeper.release();

        assertFalse(claimDuringTheWait.get(), "the ack waited");
        Chunk acked = stored(aws, stateKey(newest.getFirst())).get(2);
        assertEquals(10, acked.start());
        assertTrue(acked.done() && acked.expiresAt() > 0, "below the newest once the next claim came: " + acked);
    }

    @Test
    void anAckWithNoReceiveUnderWayInThisProcessDoesNotWait(AwsFixture aws) {
        CountedSleeps sleeps = new CountedSleeps(clock);
        ShoalEngine engine = TestEngines.builder(aws, clock).sleeper(sleeps).build();
        engine.createQueue("q", QueueSettings.builder().build());
        List<ReceivedMessage> newest = claimsAtAPace(engine);
        int before = sleeps.count();

        allSucceeded(engine.ack("q", SUB, receipts(newest))); // a consumer that receives again only after its ack

        assertEquals(before, sleeps.count(), "nobody here could claim while it waited");
        assertEquals(0, stored(aws, stateKey(newest.getFirst())).get(2).expiresAt(), "the newest: maintenance deletes it later");
    }

    @Test
    void anAckOfTheNewestChunkOfAQuietPartitionDoesNotWait(AwsFixture aws) {
        CountedSleeps sleeps = new CountedSleeps(clock);
        ShoalEngine engine = TestEngines.builder(aws, clock).sleeper(sleeps).build();
        engine.createQueue("q", QueueSettings.builder().build());
        produce(engine, 0, 10);
        List<ReceivedMessage> got = receive(engine, 10);
        int before = sleeps.count();

        allSucceeded(engine.ack("q", SUB, receipts(got)));

        assertEquals(before, sleeps.count(), "no pace to wait for");
        assertEquals(0, stored(aws, stateKey(got.getFirst())).getFirst().expiresAt(), "the newest: maintenance deletes it later");
    }

    @Test
    void anAckOfAChunkThisProcessClaimedWritesOnceAndReadsNothing(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("q", QueueSettings.builder().build());
        produce(engine, 0, 20);

        List<ReceivedMessage> mine = receive(engine, 10);
        Meter.Usage before = aws.meter().snapshot();
        allSucceeded(engine.ack("q", SUB, receipts(mine)));
        Meter.Usage ownAck = aws.meter().snapshot().minus(before);

        List<ReceivedMessage> more = receive(engine, 10);
        before = aws.meter().snapshot();
        allSucceeded(TestEngines.engine(aws, clock).ack("q", SUB, receipts(more)));
        Meter.Usage otherAck = aws.meter().snapshot().minus(before);

        assertEquals(0.0, ownAck.dynamoReadUnits(), "the claimer remembers the chunk it wrote");
        assertEquals(1.0, ownAck.dynamoWriteUnits());
        assertTrue(otherAck.dynamoReadUnits() >= 1.0, "another process reads the chunk first");
    }

    @Test
    void anAckOnAChunkAnotherProcessChangedSinceIsWrittenOnTheChunkAsItIsNow(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        ShoalEngine other = TestEngines.engine(aws, clock);
        engine.createQueue("q", QueueSettings.builder().build()); // visibility 30 s
        produce(engine, 0, 10);
        List<ReceivedMessage> got = receive(engine, 10);

        allSucceeded(other.changeVisibility("q", SUB, List.of(new VisibilityChange(got.get(3).receipt(), Duration.ofSeconds(60))))); // splits the chunk
        allSucceeded(engine.ack("q", SUB, receipts(got)));

        clock.advance(Duration.ofSeconds(61));
        assertEquals(List.of(), receive(engine, 10));
        assertEquals(List.of(), receive(other, 10));
        assertTrue(stored(aws, stateKey(got.getFirst())).stream().allMatch(Chunk::done));
    }

    @Test
    void aReceiptOfAnotherProcessesRedeliveryIsAckedThoughThisProcessRemembersTheOlderLease(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        ShoalEngine other = TestEngines.engine(aws, clock);
        engine.createQueue("q", QueueSettings.builder().build());
        produce(engine, 0, 1);
        assertEquals(1, receive(engine, 10).size());
        clock.advance(Duration.ofSeconds(31));
        List<ReceivedMessage> again = receive(other, 10);
        assertEquals(2, again.getFirst().receiveCount());

        allSucceeded(engine.ack("q", SUB, receipts(again)));

        clock.advance(Duration.ofSeconds(31));
        assertEquals(List.of(), receive(engine, 10));
        assertEquals(List.of(), receive(other, 10));
    }

    @Test
    void aClaimReadsTheHeadAgainRatherThanPutAChunkAtAFrontierKnownForTooLong(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("q", QueueSettings.builder().build());
        produce(engine, 0, 15);
        String[] stateKey = new String[1];
        // between the slow receiver's read of the head and its claim: another process receives
        // and acks the first ten, the TTL deletes the first chunk, and eleven seconds pass
        Runnable meanwhile = () -> {
            List<ReceivedMessage> first = receive(engine, 5);
            receive(engine, 5);
            allSucceeded(engine.ack("q", SUB, receipts(first)));
            stateKey[0] = stateKey(first.getFirst());
            Chunk expiring = stored(aws, stateKey[0]).getFirst();
            assertTrue(expiring.expiresAt() > 0);
            new ChunkTable(aws.dynamo(), aws.tables()).deleteDone(stateKey[0], List.of(expiring));
            clock.advance(Duration.ofMillis(FreshClaims.MAX_HEAD_AGE_MILLIS + 1_000));
        };
        ShoalEngine slow = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(OnFirstQuery.before(q -> ShoalTables.DUE_INDEX.equals(q.indexName()), meanwhile))).build();

        List<ReceivedMessage> got = receive(slow, 10);

        assertEquals(IntStream.range(10, 15).mapToObj(i -> "m" + i).toList(), bodies(got),
                "the slow receiver claims past the frontier as it is now, not the acked messages at the one it read");
    }
}
