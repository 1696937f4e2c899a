package dev.shoal.storage.fifo;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.*;
import dev.shoal.storage.metering.Meter;
import dev.shoal.storage.subscription.ChunkTable;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * FIFO consumer state per claimed range (ADR 0013 part 2), through the engine on the embedded
 * stack with a manual clock: the group rule across ranges, leases per message, nacks reaching
 * into later ranges, superseded receipts, the floor and maintenance, and what a receive costs.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class FifoRangesTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final String Q = "ranges.fifo";
    private final ManualClock clock = new ManualClock();

    private ShoalEngine fifo(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).partitions(1).build());
        return shoal;
    }

    private static NewMessage msg(String group, String body) {
        return NewMessage.builder().groupId(group).body(body).build();
    }

    /** m1 claimed in one range, m2 in a later one; m1's lease ends, and one receive takes both. */
    private List<ReceivedMessage> oneGroupAcrossTwoRanges(ShoalEngine shoal) {
        shoal.produce(Q, List.of(msg("g", "m1")));
        shoal.receive(Q, SUB, ReceiveRequest.of(10));
        shoal.produce(Q, List.of(msg("g", "m2")));
        clock.advance(Duration.ofSeconds(31));
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m1", "m2"), bodies(got));
        return got;
    }

    private static List<String> bodies(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::bodyAsString).toList();
    }

    private static RangeTable ranges(AwsFixture aws) {
        return new RangeTable(aws.dynamo(), aws.tables(), new ChunkTable(aws.dynamo(), aws.tables()), java.time.Clock.systemUTC());
    }

    /** The state key of the queue's only partition, found from a receipt. */
    private static String stateKey(AwsFixture aws, ReceivedMessage m) {
        var r = new dev.shoal.storage.subscription.ReceiptCodec(TestEngines.SECRET).decode(m.receipt());
        return dev.shoal.storage.dynamodb.StateItems.stateKey(r.queueId(), r.subscription(), r.partition());
    }

    @Test
    void aGroupsMessagesInTwoRangesGoOutTogetherOnlyOnceTheEarlierOnesLeaseEnds(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g", "m1")));
        List<ReceivedMessage> first = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m1"), bodies(first));
        shoal.produce(Q, List.of(msg("g", "m2"), msg("h", "h1")));
        assertEquals(List.of("h1"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))), "m2 is claimed in a later range and waits for m1");

        clock.advance(Duration.ofSeconds(31));
        List<ReceivedMessage> again = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m1", "m2", "h1"), bodies(again), "m1's lease ended: the group goes out again from m1, across both ranges");
        assertEquals(2, ranges(aws).live(stateKey(aws, again.getFirst()), ranges(aws).cursor(stateKey(aws, again.getFirst()), 0)).ranges().size());
    }

    @Test
    void leasesRunOutPerMessageAcrossRanges(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        List<ReceivedMessage> got = oneGroupAcrossTwoRanges(shoal);
        assertTrue(shoal.changeVisibility(Q, SUB, List.of(new VisibilityChange(got.get(1).receipt(), Duration.ofMinutes(2))))
                .getFirst().succeeded());

        clock.advance(Duration.ofSeconds(31));
        List<ReceivedMessage> back = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m1"), bodies(back), "m1 comes back; m2, in the later range, is still in flight");
        assertEquals(3, back.getFirst().receiveCount());
        assertEquals(List.of(true, true), shoal.ack(Q, SUB, List.of(back.getFirst().receipt(), got.get(1).receipt())).stream()
                .map(ReceiptResult::succeeded).toList());
        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(10)));
    }

    @Test
    void aNackBacksOffTheGroupsLaterMessagesOfTheSameDeliveryInLaterRanges(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        List<ReceivedMessage> got = oneGroupAcrossTwoRanges(shoal);

        shoal.nack(Q, SUB, List.of(new NackEntry(got.getFirst().receipt(), Duration.ofSeconds(5))));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of("m1", "m2"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))),
                "m2 was given back with m1, not left in flight until its own lease ends");
    }

    @Test
    void aNackReachesTheGroupsLaterMessagesPastARangeAnotherProcessClaimedLargerThanTheReceiveWouldHave(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g", "m0")));
        ReceivedMessage first = shoal.receive(Q, SUB, ReceiveRequest.of(10)).getFirst();
        var receipt = new dev.shoal.storage.subscription.ReceiptCodec(TestEngines.SECRET).decode(first.receipt());
        String stateKey = stateKey(aws, first);
        RangeTable table = ranges(aws);
        long reached = table.get(stateKey, 0, 0).orElseThrow().reachOf(receipt.lease());
        // the same receive went on: it adopted a range another process had claimed, reaching past
        // what its own claims could have, took the group's next message from it, and one more after it
        int adoptedEnd = (int) reached + 50;
        List<String> groups = new ArrayList<>();
        for (int o = 1; o < adoptedEnd - 1; o++) groups.add("f" + o);
        groups.add("g");
        long now = clock.millis(), due = now + 30_000, reach = adoptedEnd + 150;
        ClaimedRange adopted = ClaimedRange.claimed(0, 1, groups).leased(List.of(adoptedEnd - 1L), receipt.lease(), now, due, reach);
        ClaimedRange after = ClaimedRange.claimed(0, adoptedEnd, List.of("g")).leased(List.of((long) adoptedEnd), receipt.lease(), now, due, reach);
        assertTrue(table.write(stateKey, adopted, adopted).isPresent() && table.write(stateKey, after, after).isPresent());

        assertTrue(shoal.nack(Q, SUB, List.of(new NackEntry(first.receipt(), Duration.ofSeconds(5)))).getFirst().succeeded());

        assertEquals(ClaimedRange.SlotState.BACKING_OFF, table.get(stateKey, 0, 1).orElseThrow().slot(adoptedEnd - 1).state());
        assertEquals(ClaimedRange.SlotState.BACKING_OFF, table.get(stateKey, 0, adoptedEnd).orElseThrow().slot(adoptedEnd).state(),
                "given back with the nacked message, though it lies past the reach the first range recorded (" + reached + ")");
    }

    @Test
    void aSupersededReceiptIsRefusedAfterItsRangeIsDoneWhileTheRangeIsKept(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g", "m1")));
        ReceivedMessage stale = shoal.receive(Q, SUB, ReceiveRequest.of(10)).getFirst();
        clock.advance(Duration.ofSeconds(31));
        ReceivedMessage fresh = shoal.receive(Q, SUB, ReceiveRequest.of(10)).getFirst();
        assertTrue(shoal.ack(Q, SUB, List.of(fresh.receipt())).getFirst().succeeded());
        assertTrue(shoal.ack(Q, SUB, List.of(fresh.receipt())).getFirst().succeeded(), "acking twice with one receipt is fine");
        assertEquals("ReceiptSuperseded", shoal.ack(Q, SUB, List.of(stale.receipt())).getFirst().error().code());

        String stateKey = stateKey(aws, fresh);
        shoal.produce(Q, List.of(msg("g", "m2")));
        shoal.receive(Q, SUB, ReceiveRequest.of(10)); // the first range is done: the floor moves past it
        shoal.maintenance(clock.instant());
        assertEquals("ReceiptSuperseded", shoal.ack(Q, SUB, List.of(stale.receipt())).getFirst().error().code(), "still remembered");
        assertEquals(1, ranges(aws).before(stateKey, 0, Long.MAX_VALUE, 10).stream().filter(ClaimedRange::done).count());

        clock.advance(FifoState.ACK_MEMORY);
        shoal.maintenance(clock.instant());
        ClaimedRange done = ranges(aws).before(stateKey, 0, Long.MAX_VALUE, 10).getFirst();
        assertTrue(done.done() && done.expiresAt() * 1000 >= done.doneAt() + FifoState.ACK_MEMORY.toMillis(),
                "left to the table's TTL, no sooner than the ack memory: " + done);
        aws.dynamo().deleteItem(b -> b.tableName(aws.tables().stateTable()).key(RangeCodec.key(stateKey, 0, done.start())));
        assertTrue(shoal.ack(Q, SUB, List.of(stale.receipt())).getFirst().succeeded(), "once it expired, its acks are forgotten");
    }

    @Test
    void theStatsCountVisibleInFlightAndBackingOffMessagesFromTheRanges(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("a", "a1"), msg("b", "b1"), msg("c", "c1"), msg("c", "c2")));
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(2));
        shoal.nack(Q, SUB, List.of(new NackEntry(got.get(1).receipt(), Duration.ofSeconds(10))));
        shoal.produce(Q, List.of(msg("d", "d1")));
        SubscriptionStats stats = shoal.describeQueue(Q).stats();
        assertEquals(1, stats.inFlight());
        assertEquals(1, stats.delayed());
        assertEquals(3, stats.visible(), "c1, c2 claimed and d1 not claimed yet");
    }

    @Test
    void receiversRacingOnOneWindowNeverHoldOneMessageOrOneGroupAtOnce(AwsFixture aws) throws Exception {
        fifo(aws);
        ShoalEngine producer = TestEngines.engine(aws, clock);
        for (int call = 0; call < 10; call++) {
            List<NewMessage> batch = new ArrayList<>();
            for (int i = 0; i < 30; i++) batch.add(msg("g" + ((call * 30 + i) % 40), call + ":" + i));
            producer.produce(Q, batch);
        }
        // four engines are four processes: no lock of one process orders their writes; the clock stands still, so no lease ends
        List<ShoalEngine> engines = List.of(TestEngines.engine(aws, clock), TestEngines.engine(aws, clock),
                TestEngines.engine(aws, clock), TestEngines.engine(aws, clock));
        List<Future<List<List<ReceivedMessage>>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                ShoalEngine e = engines.get(t % engines.size());
                futures.add(pool.submit(() -> {
                    List<List<ReceivedMessage>> receives = new ArrayList<>();
                    for (int i = 0; i < 6; i++) receives.add(e.receive(Q, SUB, ReceiveRequest.builder().maxMessages(7).waitTime(Duration.ZERO).build()));
                    return receives;
                }));
            }
        }
        Map<MessageId, Integer> deliveredTo = new HashMap<>();
        Map<String, Integer> groupHeldBy = new HashMap<>();
        int receive = 0;
        for (var f : futures) {
            for (List<ReceivedMessage> got : f.get()) {
                receive++;
                for (ReceivedMessage m : got) {
                    assertNull(deliveredTo.put(m.id(), receive), m.id() + " handed out twice while its lease runs");
                    Integer other = groupHeldBy.putIfAbsent(m.groupId(), receive);
                    assertTrue(other == null || other == receive, "group " + m.groupId() + " held by two receives at once");
                }
            }
        }
        assertTrue(groupHeldBy.size() >= 10, "the receives got most groups, each to one receive: " + groupHeldBy.size());
    }

    @Test
    void aReceiveOfAHundredMessagesOfAHundredGroupsAndItsAckCostAFewWritesNotOnePerGroup(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) batch.add(msg("group-" + i, "m" + i));
        shoal.produce(Q, batch);
        Meter.Usage before = aws.meter().snapshot();
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(100));
        assertEquals(100, got.size());
        assertTrue(shoal.ack(Q, SUB, got.stream().map(ReceivedMessage::receipt).toList()).stream().allMatch(ReceiptResult::succeeded));
        double wcu = aws.meter().snapshot().minus(before).dynamoWriteUnits();
        assertTrue(wcu <= 10, "claim and lease in one write, the ack in one more: " + wcu + " WCU for 100 messages");
    }
}
