package dev.shoal.storage.fifo;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.subscription.DeadLetterMover;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** SQS FIFO's rules, one test each, on the embedded stack with a manual clock. */
@ExtendWith(EmbeddedAwsExtension.class)
class FifoBehaviourTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final String Q = "orders.fifo";
    private final ManualClock clock = new ManualClock();

    private ShoalEngine fifo(AwsFixture aws, QueueSettings.Builder settings) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, settings.fifo(true).build());
        return shoal;
    }

    private ShoalEngine fifo(AwsFixture aws) {
        return fifo(aws, QueueSettings.builder().contentBasedDeduplication(true));
    }

    private static NewMessage msg(String group, String body) {
        return NewMessage.builder().groupId(group).body(body).build();
    }

    private static List<String> bodies(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::bodyAsString).toList();
    }

    private static List<String> receipts(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::receipt).toList();
    }

    @Test
    void everyMessageNeedsAValidGroupIdAndNothingIsWrittenOtherwise(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        var missing = assertThrows(InvalidRequestException.class, () -> shoal.produce(Q, List.of(msg("g", "ok"), NewMessage.of("no group"))));
        assertEquals("messages[1].groupId", missing.field());
        var invalid = assertThrows(InvalidRequestException.class, () -> shoal.produce(Q, List.of(msg("has space", "x"))));
        assertTrue(invalid.getMessage().contains("printable ASCII"), invalid.getMessage());
        assertThrows(InvalidRequestException.class, () -> shoal.produce(Q, List.of(msg("g".repeat(129), "x"))));
        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(10)), "the valid message of the rejected batch was not written");
    }

    @Test
    void aGroupsMessagesAreDeliveredInTheOrderTheyWereProduced(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) batch.add(msg("g", "m" + i));
        shoal.produce(Q, batch.subList(0, 5));
        shoal.produce(Q, batch.subList(5, 8));
        List<String> seen = new ArrayList<>();
        for (int r = 0; r < 8 && seen.size() < 8; r++) {
            List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(3));
            seen.addAll(bodies(got));
            shoal.ack(Q, SUB, receipts(got));
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"), seen);
    }

    @Test
    void noLaterMessageOfAGroupIsDeliveredWhileAnEarlierOneIsLeased(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g", "m0"), msg("g", "m1"), msg("g", "m2")));
        List<ReceivedMessage> first = shoal.receive(Q, SUB, ReceiveRequest.of(1));
        assertEquals(List.of("m0"), bodies(first));
        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(10)), "m1 waits while m0 is leased");

        shoal.ack(Q, SUB, receipts(first));
        assertEquals(List.of("m1", "m2"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))), "acked: the group goes on");
    }

    @Test
    void whenALeaseEndsOrIsNackedTheGroupResumesFromItsEarliestUnackedMessage(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g", "m0"), msg("g", "m1"), msg("g", "m2")));
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(2));
        shoal.ack(Q, SUB, List.of(got.getFirst().receipt()));
        clock.advance(Duration.ofSeconds(30));
        List<ReceivedMessage> resumed = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m1", "m2"), bodies(resumed), "lease ended: from m1");
        assertEquals(2, resumed.getFirst().receiveCount());

        shoal.nack(Q, SUB, List.of(new NackEntry(resumed.getFirst().receipt(), Duration.ofSeconds(5))));
        clock.advance(Duration.ofSeconds(4));
        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(10)), "nacked: the whole group waits for m1");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("m1", "m2"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
    }

    @Test
    void aGroupGivenBackUndeliveredKeepsItsReceiveCounts(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g", "m0"), msg("g", "m1")));
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        shoal.nack(Q, SUB, List.of(NackEntry.undelivered(got.getFirst().receipt(), Duration.ZERO)));
        List<ReceivedMessage> again = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m0", "m1"), bodies(again));
        assertEquals(List.of(1, 1), again.stream().map(ReceivedMessage::receiveCount).toList());
    }

    @Test
    void aReceiveReturnsAsManyOfOneGroupAsItCanInOrderAndMayAddOtherGroups(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g1", "g1m1"), msg("g2", "g2m1"), msg("g1", "g1m2"), msg("g1", "g1m3")));
        assertEquals(List.of("g1m1", "g1m2", "g1m3", "g2m1"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
    }

    @Test
    void aStuckGroupDoesNotBlockOtherGroupsOnTheSamePartition(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder().contentBasedDeduplication(true).partitions(1));
        shoal.produce(Q, List.of(msg("slow", "s0"), msg("slow", "s1"), msg("fast", "f0")));
        List<ReceivedMessage> slow = shoal.receive(Q, SUB, ReceiveRequest.of(1));
        assertEquals(List.of("s0"), bodies(slow));
        shoal.produce(Q, List.of(msg("fast", "f1")));
        List<ReceivedMessage> fast = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("f0", "f1"), bodies(fast), "the fast group passes the leased slow one");
    }

    @Test
    void aDuplicateWithinFiveMinutesIsSuppressedAndGetsTheOriginalsId(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder());
        NewMessage original = NewMessage.builder().groupId("g").dedupId("order-42").body("first").build();
        ProducedMessage first = shoal.produce(Q, List.of(original)).getFirst();
        clock.advance(Duration.ofMinutes(4));
        ProducedMessage again = shoal.produce(Q, List.of(NewMessage.builder().groupId("g").dedupId("order-42").body("second").build())).getFirst();

        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.id(), again.id());
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("first"), bodies(got));

        shoal.ack(Q, SUB, receipts(got));
        assertEquals(first.id(), shoal.produce(Q, List.of(original)).getFirst().id(), "remembered after the ack");
        clock.advance(Duration.ofMinutes(1));
        ProducedMessage afterWindow = shoal.produce(Q, List.of(original)).getFirst();
        assertFalse(afterWindow.duplicate(), "the window is five minutes");
        assertNotEquals(first.id(), afterWindow.id());
    }

    @Test
    void contentBasedDeduplicationUsesTheBodysHashAndDuplicatesInOneBatchShareAnId(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        List<ProducedMessage> ids = shoal.produce(Q, List.of(msg("g", "same"), msg("g", "other"), msg("g", "same")));
        assertEquals(ids.get(0).id(), ids.get(2).id());
        assertTrue(ids.get(2).duplicate());
        assertEquals(List.of("same", "other"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
    }

    @Test
    void aMissingDeduplicationIdIsRejectedWithoutContentBasedDeduplication(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder());
        var e = assertThrows(InvalidRequestException.class, () -> shoal.produce(Q, List.of(msg("g", "x"))));
        assertEquals("messages[0].dedupId", e.field());
    }

    @Test
    void purgeClearsTheDeduplicationWindow(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        MessageId before = shoal.produce(Q, List.of(msg("g", "x"))).getFirst().id();
        shoal.purgeQueue(Q);
        ProducedMessage after = shoal.produce(Q, List.of(msg("g", "x"))).getFirst();
        assertFalse(after.duplicate());
        assertNotEquals(before, after.id());
        assertEquals(List.of("x"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
    }

    @Test
    void aRetriedReceiveWithTheSameAttemptIdReturnsTheSameMessagesAndReceipts(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g1", "a"), msg("g2", "b")));
        ReceiveRequest attempt = ReceiveRequest.builder().maxMessages(10).receiveAttemptId("attempt-1").build();
        List<ReceivedMessage> first = shoal.receive(Q, SUB, attempt);
        List<ReceivedMessage> retried = shoal.receive(Q, SUB, attempt);
        assertEquals(receipts(first), receipts(retried));
        assertEquals(bodies(first), bodies(retried));

        shoal.ack(Q, SUB, List.of(first.getFirst().receipt()));
        assertEquals(List.of(), shoal.receive(Q, SUB, attempt), "changed since: a fresh receive, and nothing is visible");
    }

    @Test
    void deadLettersOfAFifoQueueGoToAFifoDeadLetterQueueAndKeepTheirGroup(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("dlq-std", QueueSettings.builder().build());
        var standardDlq = assertThrows(InvalidRequestException.class, () -> shoal.createQueue(Q, QueueSettings.builder().fifo(true)
                .contentBasedDeduplication(true)
                .defaultSubscription(SubscriptionSettings.builder().deadLetter(new DeadLetterPolicy("dlq-std", 1)).build()).build()));
        assertEquals("deadLetter.queue", standardDlq.field());
        shoal.createQueue("dead.fifo", QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true)
                .defaultSubscription(SubscriptionSettings.builder().deadLetter(new DeadLetterPolicy("dead.fifo", 2)).build()).build());
        shoal.produce(Q, List.of(msg("g", "poison"), msg("g", "next")));
        for (int i = 0; i < 2; i++) {
            assertEquals("poison", shoal.receive(Q, SUB, ReceiveRequest.of(1)).getFirst().bodyAsString());
            clock.advance(Duration.ofSeconds(30));
        }
        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(1)), "moved instead of a third delivery");
        assertEquals(List.of("next"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))), "the group goes on after the move");
        ReceivedMessage dead = shoal.receive("dead.fifo", SUB, ReceiveRequest.of(10)).getFirst();
        assertEquals("poison", dead.bodyAsString());
        assertEquals("g", dead.groupId());
        assertEquals(Q, dead.attributes().get(DeadLetterMover.SOURCE_QUEUE).stringValue());
    }

    @Test
    void aPerMessageDelayIsRejectedButTheQueuesDelayApplies(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder().contentBasedDeduplication(true).deliveryDelay(Duration.ofSeconds(10)));
        var e = assertThrows(InvalidRequestException.class, () -> shoal.produce(Q,
                List.of(NewMessage.builder().groupId("g").body("x").delay(Duration.ofSeconds(5)).build())));
        assertEquals("messages[0].delay", e.field());
        shoal.produce(Q, List.of(msg("g", "x")));
        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(1)));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of("x"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(1))));
    }

    @Test
    void messagesPastRetentionLeaveTheirGroupWhichGoesOn(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder().contentBasedDeduplication(true).retention(Duration.ofMinutes(10)));
        shoal.produce(Q, List.of(msg("g", "old")));
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("old"), bodies(got));
        clock.advance(Duration.ofMinutes(5));
        shoal.produce(Q, List.of(msg("g", "new")));
        clock.advance(Duration.ofMinutes(6));
        shoal.maintenance(clock.instant()); // the first segment is past retention now
        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(10)), "the expired message is dropped from its group");
        assertEquals(List.of("new"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
    }

    @Test
    void ackingWithAnExpiredLeaseIsRejected(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        shoal.produce(Q, List.of(msg("g", "x")));
        String receipt = shoal.receive(Q, SUB, ReceiveRequest.of(1)).getFirst().receipt();
        clock.advance(Duration.ofSeconds(31));
        ReceiptResult r = shoal.ack(Q, SUB, List.of(receipt)).getFirst();
        assertFalse(r.succeeded());
        assertEquals("ReceiptHandleExpired", r.error().code());
        assertTrue(r.error().getMessage().contains("receipt handle has expired"));
    }

    @Test
    void anIdempotentProducersRetriedBatchIsWrittenOnceAndGetsItsOriginalIds(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        List<NewMessage> batch = List.of(msg("g", "a"), msg("g", "b"));
        List<ProducedMessage> first = shoal.produce(Q, new ProduceRequest(batch, 0, "producer-1", 0));
        List<ProducedMessage> retried = shoal.produce(Q, new ProduceRequest(batch, 0, "producer-1", 0));
        assertEquals(first.stream().map(ProducedMessage::id).toList(), retried.stream().map(ProducedMessage::id).toList());
        assertTrue(retried.stream().allMatch(ProducedMessage::duplicate));
        shoal.produce(Q, new ProduceRequest(List.of(msg("g", "c")), 0, "producer-1", 1));
        var stale = assertThrows(ConflictException.class, () -> shoal.produce(Q, new ProduceRequest(batch, 0, "producer-1", 0)));
        assertEquals("SequenceOutOfOrder", stale.code());
        assertEquals(List.of("a", "b", "c"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
    }

    @Test
    void anIdempotentProducersBatchIsStillDeduplicatedMessageByMessage(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws);
        MessageId original = shoal.produce(Q, List.of(msg("g", "same"))).getFirst().id();
        List<ProducedMessage> batch = shoal.produce(Q, new ProduceRequest(List.of(msg("g", "same"), msg("g", "new")),
                Math.floorMod("g".hashCode(), 1), "producer-2", 0));
        assertEquals(original, batch.getFirst().id());
        assertTrue(batch.getFirst().duplicate());
        assertFalse(batch.get(1).duplicate());
        assertEquals(List.of("same", "new"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
    }
}
