package dev.shoal.storage.subscription;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** The rules of standard-queue consumption, one test each, on the embedded stack with a manual clock. */
@ExtendWith(EmbeddedAwsExtension.class)
class SubscriptionBehaviourTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private final ManualClock clock = new ManualClock();

    private static List<NewMessage> messages(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> NewMessage.builder().body(prefix + i).attribute("i", MessageAttribute.number("" + i)).build()).toList();
    }

    private static List<String> bodies(List<ReceivedMessage> received) {
        return received.stream().map(ReceivedMessage::bodyAsString).sorted().toList();
    }

    private static List<String> receipts(List<ReceivedMessage> received) {
        return received.stream().map(ReceivedMessage::receipt).toList();
    }

    private ShoalEngine queue(AwsFixture aws, String name, QueueSettings settings) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue(name, settings);
        return engine;
    }

    @Test
    void receivedMessagesCarryIdBodyAttributesCountsTimesAndReceipt(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        Instant sent = clock.instant();
        List<ProducedMessage> produced = shoal.produce("q", List.of(NewMessage.builder().body("hello").attribute("k", "v").build()));
        clock.advance(Duration.ofSeconds(3));

        List<ReceivedMessage> got = shoal.receive("q", SUB, ReceiveRequest.of(10));

        assertEquals(1, got.size());
        ReceivedMessage m = got.getFirst();
        assertEquals(produced.getFirst().id(), m.id());
        assertEquals("hello", m.bodyAsString());
        assertEquals(Map.of("k", MessageAttribute.string("v")), m.attributes());
        assertEquals(1, m.receiveCount());
        assertEquals(sent, m.sentAt());
        assertEquals(clock.instant(), m.firstReceivedAt());
        assertFalse(m.receipt().isBlank());
    }

    @Test
    void leasedMessagesStayInvisibleUntilTheirVisibilityTimeoutEnds(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 5));
        List<ReceivedMessage> first = shoal.receive("q", SUB, ReceiveRequest.of(10));
        assertEquals(5, first.size());

        clock.advance(Duration.ofSeconds(29));
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)), "still leased");

        clock.advance(Duration.ofSeconds(1));
        List<ReceivedMessage> again = shoal.receive("q", SUB, ReceiveRequest.of(10));
        assertEquals(bodies(first), bodies(again));
        assertTrue(again.stream().allMatch(m -> m.receiveCount() == 2));
        assertEquals(first.getFirst().firstReceivedAt(), again.getFirst().firstReceivedAt(), "first receive time is kept");
    }

    @Test
    void ackedMessagesAreNeverDeliveredAgain(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 4));
        List<ReceivedMessage> got = shoal.receive("q", SUB, ReceiveRequest.of(10));
        List<ReceiptResult> acked = shoal.ack("q", SUB, receipts(got.subList(0, 3)));
        assertTrue(acked.stream().allMatch(ReceiptResult::succeeded));

        clock.advance(Duration.ofMinutes(5));
        List<ReceivedMessage> again = shoal.receive("q", SUB, ReceiveRequest.of(10));
        assertEquals(List.of(got.get(3).bodyAsString()), bodies(again), "only the unacked one comes back");
    }

    @Test
    void aReceiveTakesOnlyWhatItAsksForAndLeavesTheRestVisible(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 10));
        assertEquals(3, shoal.receive("q", SUB, ReceiveRequest.of(3)).size());
        assertEquals(7, shoal.receive("q", SUB, ReceiveRequest.of(100)).size());
        clock.advance(Duration.ofSeconds(31));
        List<ReceivedMessage> redelivered = shoal.receive("q", SUB, ReceiveRequest.of(4));
        assertEquals(4, redelivered.size(), "a redelivery also takes only what is asked for");
        assertEquals(6, shoal.receive("q", SUB, ReceiveRequest.of(100)).size());
    }

    @Test
    void receivesWalkThroughEverySegmentInOrderOfOffsets(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        for (int b = 0; b < 6; b++) {
            shoal.produce("q", messages("b" + b + "-", 3));
        }
        List<Long> offsets = new java.util.ArrayList<>();
        for (int r = 0; r < 10; r++) {
            List<ReceivedMessage> got = shoal.receive("q", SUB, ReceiveRequest.of(2));
            got.forEach(m -> offsets.add(m.id().offset()));
            shoal.ack("q", SUB, receipts(got));
        }
        assertEquals(IntStream.range(0, 18).mapToObj(i -> (long) i).toList(), offsets);
    }

    @Test
    void aLargeReceiveGathersManySmallSegments(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        for (int b = 0; b < 12; b++) {
            shoal.produce("q", messages("b" + b + "-", 10));
        }
        assertEquals(100, shoal.receive("q", SUB, ReceiveRequest.of(100)).size());
    }

    @Test
    void changeVisibilityMovesTheDeadlineAndZeroMakesTheMessageVisibleNow(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 3));
        List<ReceivedMessage> got = shoal.receive("q", SUB, ReceiveRequest.of(10));
        ReceivedMessage extended = got.get(0), released = got.get(1);

        var results = shoal.changeVisibility("q", SUB, List.of(
                new VisibilityChange(extended.receipt(), Duration.ofMinutes(10)),
                new VisibilityChange(released.receipt(), Duration.ZERO)));
        assertTrue(results.stream().allMatch(ReceiptResult::succeeded));

        assertEquals(List.of(released.bodyAsString()), bodies(shoal.receive("q", SUB, ReceiveRequest.of(10))), "released at once");
        clock.advance(Duration.ofSeconds(31));
        assertEquals(List.of(released.bodyAsString(), got.get(2).bodyAsString()), bodies(shoal.receive("q", SUB, ReceiveRequest.of(10))),
                "the extended one is still leased");
        clock.advance(Duration.ofMinutes(10));
        assertTrue(bodies(shoal.receive("q", SUB, ReceiveRequest.of(10))).contains(extended.bodyAsString()));
    }

    @Test
    void visibilityCannotBeExtendedPastTwelveHoursFromTheReceive(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 1));
        ReceivedMessage m = shoal.receive("q", SUB, ReceiveRequest.of(1)).getFirst();
        clock.advance(Duration.ofHours(1));
        ReceiptResult tooLong = shoal.changeVisibility("q", SUB, List.of(new VisibilityChange(m.receipt(), Duration.ofHours(12)))).getFirst();
        assertFalse(tooLong.succeeded());
        assertInstanceOf(InvalidRequestException.class, tooLong.error());
        assertTrue(tooLong.error().getMessage().contains("12h"), tooLong.error().getMessage());
        assertTrue(shoal.changeVisibility("q", SUB, List.of(new VisibilityChange(m.receipt(), Duration.ofHours(11)))).getFirst().succeeded());
    }

    @Test
    void aNackedMessageComesBackAfterTheRetryPolicysBackoff(AwsFixture aws) {
        RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder()
                .defaultSubscription(SubscriptionSettings.builder().retryPolicy(retry).build()).build());
        shoal.produce("q", messages("m", 2));
        List<ReceivedMessage> got = shoal.receive("q", SUB, ReceiveRequest.of(10));
        ReceivedMessage nacked = got.getFirst();
        assertTrue(shoal.nack("q", SUB, List.of(NackEntry.of(nacked.receipt()))).getFirst().succeeded());

        clock.advance(Duration.ofMillis(999));
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)), "backoff for receive count 1 is 1s");
        clock.advance(Duration.ofMillis(1));
        ReceivedMessage second = shoal.receive("q", SUB, ReceiveRequest.of(10)).getFirst();
        assertEquals(nacked.id(), second.id());
        assertEquals(2, second.receiveCount());

        shoal.nack("q", SUB, List.of(NackEntry.of(second.receipt())));
        clock.advance(Duration.ofMillis(1999));
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)), "backoff for receive count 2 is 2s");
        clock.advance(Duration.ofMillis(1));
        assertEquals(nacked.id(), shoal.receive("q", SUB, ReceiveRequest.of(10)).getFirst().id());
    }

    @Test
    void aNackWithAnExplicitDelayUsesThatDelay(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 1));
        ReceivedMessage m = shoal.receive("q", SUB, ReceiveRequest.of(1)).getFirst();
        shoal.nack("q", SUB, List.of(new NackEntry(m.receipt(), Duration.ofMinutes(3))));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(1)));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, shoal.receive("q", SUB, ReceiveRequest.of(1)).size());
    }

    @Test
    void aMessageGivenBackUndeliveredDoesNotCountAsReceived(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 2));
        List<ReceivedMessage> got = shoal.receive("q", SUB, ReceiveRequest.of(2));
        shoal.nack("q", SUB, List.of(NackEntry.undelivered(got.get(0).receipt(), Duration.ofSeconds(1)), NackEntry.of(got.get(1).receipt())));
        clock.advance(Duration.ofSeconds(1));
        List<ReceivedMessage> again = shoal.receive("q", SUB, ReceiveRequest.of(2));
        assertEquals(Map.of("m0", 1, "m1", 2), Map.of(again.get(0).bodyAsString(), again.get(0).receiveCount(),
                again.get(1).bodyAsString(), again.get(1).receiveCount()));
    }

    @Test
    void aMessageWithADelayIsNotDeliveredBeforeItIsDue(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", List.of(NewMessage.of("now"), NewMessage.builder().body("later").delay(Duration.ofMinutes(15)).build(), NewMessage.of("now too")));

        List<ReceivedMessage> now = shoal.receive("q", SUB, ReceiveRequest.of(10));
        assertEquals(List.of("now", "now too"), bodies(now));
        shoal.ack("q", SUB, receipts(now));
        clock.advance(Duration.ofMinutes(14));
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)));
        clock.advance(Duration.ofMinutes(1));
        List<ReceivedMessage> later = shoal.receive("q", SUB, ReceiveRequest.of(10));
        assertEquals(List.of("later"), bodies(later));
        assertEquals(1, later.getFirst().receiveCount());
    }

    @Test
    void theQueuesDeliveryDelayAppliesToEveryMessage(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().deliveryDelay(Duration.ofSeconds(45)).build());
        shoal.produce("q", messages("m", 2));
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)));
        clock.advance(Duration.ofSeconds(45));
        assertEquals(2, shoal.receive("q", SUB, ReceiveRequest.of(10)).size());
    }

    @Test
    void theReceiveCountGrowsWithEveryDelivery(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 1));
        for (int expected = 1; expected <= 4; expected++) {
            ReceivedMessage m = shoal.receive("q", SUB, ReceiveRequest.builder().maxMessages(1).visibilityTimeout(Duration.ofSeconds(5)).build()).getFirst();
            assertEquals(expected, m.receiveCount());
            clock.advance(Duration.ofSeconds(5));
        }
    }

    @Test
    void aForgedOrAlteredReceiptIsRejected(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 1));
        String receipt = shoal.receive("q", SUB, ReceiveRequest.of(1)).getFirst().receipt();
        char last = receipt.charAt(receipt.length() - 5);
        String altered = receipt.substring(0, receipt.length() - 5) + (last == 'A' ? 'B' : 'A') + receipt.substring(receipt.length() - 4);

        for (String bad : List.of(altered, "not-a-receipt", "")) {
            ReceiptResult r = shoal.ack("q", SUB, List.of(bad)).getFirst();
            assertFalse(r.succeeded(), bad);
            assertEquals("ReceiptHandleIsInvalid", r.error().code());
        }
        ShoalEngine otherDeployment = TestEngines.builder(aws, clock).receiptSecret("another deployment's secret, 32 bytes+".getBytes()).build();
        assertEquals("ReceiptHandleIsInvalid", otherDeployment.ack("q", SUB, List.of(receipt)).getFirst().error().code());
        clock.advance(Duration.ofSeconds(30));
        assertEquals(1, shoal.receive("q", SUB, ReceiveRequest.of(1)).size(), "nothing was acked");
    }

    @Test
    void aSupersededReceiptCannotExtendNackOrAck(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 1));
        String old = shoal.receive("q", SUB, ReceiptFree.one()).getFirst().receipt();
        clock.advance(Duration.ofSeconds(30));
        String current = shoal.receive("q", SUB, ReceiptFree.one()).getFirst().receipt();

        assertEquals("ReceiptSuperseded", shoal.changeVisibility("q", SUB, List.of(new VisibilityChange(old, Duration.ofMinutes(5)))).getFirst().error().code());
        assertEquals("ReceiptSuperseded", shoal.nack("q", SUB, List.of(NackEntry.of(old))).getFirst().error().code());
        assertEquals("ReceiptSuperseded", shoal.ack("q", SUB, List.of(old)).getFirst().error().code());
        assertTrue(shoal.ack("q", SUB, List.of(current)).getFirst().succeeded());
    }

    @Test
    void anExpiredReceiptWhoseMessageWasNotRedeliveredStillAcks(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 1));
        String receipt = shoal.receive("q", SUB, ReceiptFree.one()).getFirst().receipt();
        clock.advance(Duration.ofMinutes(2));
        assertTrue(shoal.ack("q", SUB, List.of(receipt)).getFirst().succeeded());
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(1)));
    }

    @Test
    void ackingTwiceIsHarmless(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 2));
        List<String> receipts = receipts(shoal.receive("q", SUB, ReceiveRequest.of(2)));
        assertTrue(shoal.ack("q", SUB, receipts).stream().allMatch(ReceiptResult::succeeded));
        assertTrue(shoal.ack("q", SUB, receipts).stream().allMatch(ReceiptResult::succeeded));
    }

    @Test
    void everySubscriptionSeesEveryMessageAndKeepsItsOwnState(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.createSubscription("q", "audit", SubscriptionSettings.DEFAULT);
        shoal.produce("q", messages("m", 3));

        List<ReceivedMessage> main = shoal.receive("q", SUB, ReceiveRequest.of(10));
        shoal.ack("q", SUB, receipts(main));
        List<ReceivedMessage> audit = shoal.receive("q", "audit", ReceiveRequest.of(10));
        assertEquals(bodies(main), bodies(audit));
        assertEquals("ReceiptHandleIsInvalid", shoal.ack("q", SUB, List.of(audit.getFirst().receipt())).getFirst().error().code(),
                "a receipt of one subscription is not valid on another");
    }

    @Test
    void aSubscriptionAddedLaterStartsAtTheEndOfTheLog(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("old", 2));
        shoal.createSubscription("q", "late", SubscriptionSettings.DEFAULT);
        shoal.produce("q", messages("new", 1));
        assertEquals(List.of("new0"), bodies(shoal.receive("q", "late", ReceiveRequest.of(10))));
        shoal.seek("q", "late", SeekTarget.earliest());
        assertEquals(List.of("new0", "old0", "old1"), bodies(shoal.receive("q", "late", ReceiveRequest.of(10))));
    }

    @Test
    void seekingToAnOffsetOrATimeReplaysFromThere(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("a", 3));
        clock.advance(Duration.ofMinutes(1));
        Instant second = clock.instant();
        shoal.produce("q", messages("b", 2));
        shoal.ack("q", SUB, receipts(shoal.receive("q", SUB, ReceiveRequest.of(10))));

        shoal.seek("q", SUB, SeekTarget.offsets(Map.of(0, 2L)));
        assertEquals(List.of("a2", "b0", "b1"), bodies(shoal.receive("q", SUB, ReceiveRequest.of(10))));

        shoal.seek("q", SUB, SeekTarget.time(second));
        assertEquals(List.of("b0", "b1"), bodies(shoal.receive("q", SUB, ReceiveRequest.of(10))));
    }

    @Test
    void purgeDropsEveryMessageInTheQueue(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 5));
        shoal.receive("q", SUB, ReceiveRequest.of(2));
        shoal.purgeQueue("q");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)));
        shoal.produce("q", messages("after", 1));
        assertEquals(List.of("after0"), bodies(shoal.receive("q", SUB, ReceiveRequest.of(10))));
    }

    @Test
    void approximateCountsShowVisibleInFlightDelayedAndTheOldestAge(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        shoal.produce("q", messages("m", 6));
        shoal.produce("q", List.of(NewMessage.builder().body("later").delay(Duration.ofMinutes(5)).build()));
        clock.advance(Duration.ofSeconds(10));
        List<ReceivedMessage> got = shoal.receive("q", SUB, ReceiveRequest.of(4));
        shoal.ack("q", SUB, receipts(got.subList(0, 1)));

        SubscriptionStats stats = shoal.describeQueue("q").stats();
        assertEquals(2, stats.visible());
        assertEquals(3, stats.inFlight());
        assertEquals(1, stats.delayed());
        assertEquals(Duration.ofSeconds(10), stats.oldestUnackedAge());
    }

    @Test
    void longPollingReturnsAMessageProducedDuringTheWait(AwsFixture aws) {
        ShoalEngine producer = queue(aws, "q", QueueSettings.builder().build());
        ShoalEngine consumer = TestEngines.builder(aws, clock).sleeper(d -> {
            clock.advance(d);
            if (clock.instant().isAfter(Instant.parse("2026-11-22T10:00:02Z"))) {
                producer.produce("q", messages("late", 1));
            }
        }).build();
        List<ReceivedMessage> got = consumer.receive("q", SUB, ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(20)).build());
        assertEquals(List.of("late0"), bodies(got));
        assertTrue(clock.instant().isBefore(Instant.parse("2026-11-22T10:00:05Z")), "returned soon after the message arrived, at " + clock.instant());
    }

    @Test
    void longPollingReturnsEmptyOnlyWhenTheWaitRunsOut(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "q", QueueSettings.builder().build());
        Instant start = clock.instant();
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.builder().maxMessages(1).waitTime(Duration.ofSeconds(20)).build()));
        assertEquals(start.plusSeconds(20), clock.instant());
    }

    /** A receive of one message with the default visibility timeout. */
    private static final class ReceiptFree {
        static ReceiveRequest one() {
            return ReceiveRequest.of(1);
        }
    }
}
