package dev.shoal.storage.fifo;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.batching.NewestClaims;
import dev.shoal.storage.dynamodb.StateItems;
import dev.shoal.storage.subscription.ChunkTable;
import dev.shoal.storage.subscription.Cursor;
import dev.shoal.storage.subscription.ReceiptCodec;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.CountedSleeps;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.HeldLongPoll;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.OnFirstQuery;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What becomes of a FIFO range once every message of it is acked (ADR 0019): one finished below
 * the newest is left to the table's TTL by the ack, the others get their TTL when the floor
 * passes them, none is deleted while it may hold the frontier, and no claim is put from a window
 * read so long ago that the range its frontier rests on may have expired. The TTL's deletions
 * are made by hand: DynamoDB Local does not run the TTL.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class FifoFinishedRangesTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final String Q = "finished.fifo";
    private final ManualClock clock = new ManualClock();

    private ShoalEngine fifo(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).partitions(1).build());
        return engine;
    }

    /** Messages m{from}..m{to-1}, each in its own group, in one segment. */
    private static void produce(ShoalEngine engine, int from, int to) {
        engine.produce(Q, IntStream.range(from, to).mapToObj(i -> NewMessage.builder().groupId("g" + i).body("m" + i).build()).toList());
    }

    private static List<ReceivedMessage> receive(ShoalEngine engine) {
        return engine.receive(Q, SUB, ReceiveRequest.of(10));
    }

    private static void ack(ShoalEngine engine, List<ReceivedMessage> got) {
        List<ReceiptResult> results = engine.ack(Q, SUB, got.stream().map(ReceivedMessage::receipt).toList());
        assertTrue(results.stream().allMatch(ReceiptResult::succeeded), () -> "acks failed: " + results);
    }

    private static List<String> bodies(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::bodyAsString).toList();
    }

    private static List<String> bodies(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
    }

    private static String stateKey(ReceivedMessage m) {
        var r = new ReceiptCodec(TestEngines.SECRET).decode(m.receipt());
        return StateItems.stateKey(r.queueId(), r.subscription(), r.partition());
    }

    private static RangeTable ranges(AwsFixture aws) {
        return new RangeTable(aws.dynamo(), aws.tables(), new ChunkTable(aws.dynamo(), aws.tables()), java.time.Clock.systemUTC());
    }

    private static List<ClaimedRange> stored(AwsFixture aws, String stateKey) {
        return ranges(aws).before(stateKey, 0, Long.MAX_VALUE, 1_000);
    }

    /** A query of claimed ranges: a receive's read of its window. */
    private static boolean readsAWindow(QueryRequest q) {
        return q.expressionAttributeValues().getOrDefault(":lo", AttributeValue.fromS("")).s().startsWith("r#");
    }

    /** What the table's TTL does to a range once its time has come. */
    private static void expire(AwsFixture aws, String stateKey, ClaimedRange r) {
        assertTrue(r.done() && r.expiresAt() > 0, "only a done range with a TTL expires: " + r);
        aws.dynamo().deleteItem(b -> b.tableName(aws.tables().stateTable()).key(RangeCodec.key(stateKey, r.gen(), r.start())));
    }

    @Test
    void aRangeFinishedBelowTheNewestExpiresFromItsAckAndTheNewestOnceTheFloorPassesIt(AwsFixture aws) {
        ShoalEngine engine = fifo(aws);
        produce(engine, 0, 5);
        List<ReceivedMessage> first = receive(engine);
        produce(engine, 5, 10);
        List<ReceivedMessage> second = receive(engine);
        String stateKey = stateKey(first.getFirst());

        ack(engine, first);
        ack(engine, second);

        List<ClaimedRange> ranges = stored(aws, stateKey);
        assertEquals(List.of(0L, 5L), ranges.stream().map(ClaimedRange::start).toList());
        assertTrue(ranges.get(0).done() && ranges.get(1).done());
        assertEquals(clock.millis() / 1000 + FifoState.FINISHED_RANGE_TTL.toSeconds(), ranges.get(0).expiresAt(),
                "below the newest: the TTL deletes it");
        assertEquals(0, ranges.get(1).expiresAt(), "the newest holds the frontier: it does not expire");

        engine.maintenance(clock.instant());
        ranges = stored(aws, stateKey);
        assertEquals(List.of(0L, 5L), ranges.stream().map(ClaimedRange::start).toList(), "maintenance deletes neither");
        assertTrue(ranges.get(1).expiresAt() >= ranges.get(1).doneAt() / 1000 + FifoState.ACK_MEMORY.toSeconds(),
                "the floor holds the frontier now: the newest expires too, after the ack memory");

        ranges.forEach(r -> expire(aws, stateKey, r));
        assertEquals(List.of(), receive(engine));
        assertEquals(List.of(), receive(TestEngines.engine(aws, clock)), "nothing acked comes back, in any process");
        produce(engine, 10, 12);
        assertEquals(bodies(10, 12), bodies(receive(TestEngines.engine(aws, clock))), "and what comes next is claimed at the floor");
    }

    /** Three claims 30 ms apart, each of five messages; returns the newest claim's. */
    private List<ReceivedMessage> claimsAtAPace(ShoalEngine engine) {
        List<ReceivedMessage> newest = List.of();
        for (int i = 0; i < 3; i++) {
            if (i > 0) clock.advance(Duration.ofMillis(30));
            produce(engine, 5 * i, 5 * i + 5);
            newest = receive(engine);
        }
        return newest;
    }

    @Test
    void anAckOfTheNewestRangeOfABusyPartitionWaitsForTheNextClaimAndLeavesTheRangeToExpire(AwsFixture aws) throws Exception {
        AtomicBoolean claimDuringTheWait = new AtomicBoolean();
        AtomicInteger sleeps = new AtomicInteger();
        ShoalEngine[] engine = new ShoalEngine[1];
        HeldLongPoll sleeper = new HeldLongPoll(clock, d -> {
            sleeps.incrementAndGet();
            if (claimDuringTheWait.compareAndSet(true, false)) receive(engine[0]); // another receiver claims meanwhile
        });
        engine[0] = TestEngines.builder(aws, clock).sleeper(sleeper).build();
        engine[0].createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).partitions(1).build());
        List<ReceivedMessage> newest = claimsAtAPace(engine[0]);
        sleeper.start(() -> engine[0].receive(Q, SUB, ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(1)).build()));
        produce(engine[0], 15, 20);

        claimDuringTheWait.set(true);
        int before = sleeps.get();
        ack(engine[0], newest);
        sleeper.release();

        assertFalse(claimDuringTheWait.get(), "the ack waited");
        assertTrue(sleeps.get() - before <= FifoAcknowledger.MAX_WAIT_FOR_NEWER.dividedBy(NewestClaims.POLL), "and not for long");
        ClaimedRange acked = stored(aws, stateKey(newest.getFirst())).get(2);
        assertEquals(10, acked.start());
        assertTrue(acked.done() && acked.expiresAt() > 0, "below the newest once the next claim came: " + acked);
    }

    @Test
    void anAckWithNoReceiveUnderWayInThisProcessDoesNotWait(AwsFixture aws) {
        CountedSleeps sleeps = new CountedSleeps(clock);
        ShoalEngine engine = TestEngines.builder(aws, clock).sleeper(sleeps).build();
        engine.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).partitions(1).build());
        List<ReceivedMessage> newest = claimsAtAPace(engine);
        int before = sleeps.count();

        ack(engine, newest); // a consumer that receives again only after its ack: no claim can come meanwhile

        assertEquals(before, sleeps.count(), "nobody here could claim while it waited");
        assertEquals(0, stored(aws, stateKey(newest.getFirst())).get(2).expiresAt(), "the newest: it expires once the floor passes it");
    }

    @Test
    void anAckOfTheNewestRangeOfAQuietPartitionDoesNotWait(AwsFixture aws) {
        CountedSleeps sleeps = new CountedSleeps(clock);
        ShoalEngine engine = TestEngines.builder(aws, clock).sleeper(sleeps).build();
        engine.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).partitions(1).build());
        produce(engine, 0, 5);
        List<ReceivedMessage> got = receive(engine);
        int before = sleeps.count();

        ack(engine, got);

        assertEquals(before, sleeps.count(), "no pace to wait for");
        assertEquals(0, stored(aws, stateKey(got.getFirst())).getFirst().expiresAt(), "the newest: it expires once the floor passes it");
    }

    @Test
    void aReceiveThatMovesTheFloorPastDoneRangesLeavesThemToExpire(AwsFixture aws) {
        ShoalEngine engine = fifo(aws);
        int ranges = FifoReceiver.FLOOR_STEP; // the next receive finds that many done at the window's start
        String stateKey = null;
        for (int i = 0; i < ranges; i++) { // each range the newest when it is acked: none expires from its ack
            produce(engine, i, i + 1);
            List<ReceivedMessage> got = receive(engine);
            stateKey = stateKey(got.getFirst());
            ack(engine, got);
        }
        assertTrue(stored(aws, stateKey).stream().allMatch(r -> r.done() && r.expiresAt() == 0));

        produce(engine, ranges, ranges + 1);
        List<ReceivedMessage> last = receive(engine);
        assertEquals(bodies(ranges, ranges + 1), bodies(last));

        List<ClaimedRange> passed = stored(aws, stateKey).stream().filter(r -> r.end() <= ranges).toList();
        assertEquals(ranges, passed.size());
        assertTrue(passed.stream().allMatch(r -> r.expiresAt() > 0), "the receive moved the floor past them and left them to expire: " + passed);
        String key = stateKey;
        passed.forEach(r -> expire(aws, key, r));
        ack(engine, last);
        assertEquals(List.of(), receive(TestEngines.engine(aws, clock)));
    }

    @Test
    void doneRangesAnOlderVersionLeftBelowTheFloorAreDeletedAfterTheAckMemory(AwsFixture aws) {
        ShoalEngine engine = fifo(aws);
        produce(engine, 0, 3);
        List<ReceivedMessage> got = receive(engine);
        ack(engine, got);
        String stateKey = stateKey(got.getFirst());
        RangeTable table = ranges(aws);
        Cursor cursor = table.cursor(stateKey, 0);
        assertTrue(table.raiseFloor(stateKey, cursor, 3), "the floor passes it as a version before ADR 0019 did: without a TTL");

        engine.maintenance(clock.instant());
        assertEquals(1, stored(aws, stateKey).size(), "its acks are remembered for the ack memory");
        clock.advance(FifoState.ACK_MEMORY);
        engine.maintenance(clock.instant());
        assertEquals(List.of(), stored(aws, stateKey), "then maintenance deletes it");
        produce(engine, 3, 4);
        assertEquals(bodies(3, 4), bodies(receive(engine)));
    }

    @Test
    void aClaimIsNotPutFromAWindowReadTooLongAgo(AwsFixture aws) {
        ShoalEngine engine = fifo(aws);
        produce(engine, 0, 5);
        String[] stateKey = new String[1];
        // between the slow receiver's read of the window and its claim: another process receives
        // and acks the first five, claims the next five, the TTL deletes the first range, and
        // more than the window's age passes
        Runnable meanwhile = () -> {
            List<ReceivedMessage> first = receive(engine);
            produce(engine, 5, 10);
            receive(engine);
            ack(engine, first);
            stateKey[0] = stateKey(first.getFirst());
            expire(aws, stateKey[0], stored(aws, stateKey[0]).getFirst());
            clock.advance(FifoReceiver.MAX_WINDOW_AGE.plusSeconds(1));
        };
        ShoalEngine slow = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(OnFirstQuery.after(FifoFinishedRangesTest::readsAWindow, meanwhile))).build();

        List<ReceivedMessage> got = receive(slow);

        assertEquals(List.of(), got, "nothing acked is claimed again at the frontier the slow receiver read");
        clock.advance(Duration.ofSeconds(31));
        assertEquals(bodies(5, 10), bodies(receive(slow)), "its next receive reads the window as it is now");
    }
}
