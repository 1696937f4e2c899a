package dev.shoal.storage.fifo;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SQS FIFO's group rules where Shoal used to differ, and receives that race retention or a
 * deleted dead-letter queue; on the embedded stack with a manual clock.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class FifoGroupRulesTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final String Q = "orders.fifo";
    private static final ReceiveRequest SHORT_POLL_OF_ONE = ReceiveRequest.builder().maxMessages(1).waitTime(Duration.ZERO).build();
    private final ManualClock clock = new ManualClock();

    private ShoalEngine fifo(AwsFixture aws, QueueSettings.Builder settings) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, settings.fifo(true).contentBasedDeduplication(true).build());
        return shoal;
    }

    private static NewMessage msg(String group, String body) {
        return NewMessage.builder().groupId(group).body(body).build();
    }

    private static List<String> bodies(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::bodyAsString).toList();
    }

    @Test
    void aShortPollReturnsAnotherGroupsMessageWhileOneGroupIsInFlight(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder());
        for (int i = 0; i < 5; i++) {
            shoal.produce(Q, List.of(msg("busy", "b" + i))); // one send each, as SQS clients do
        }
        shoal.produce(Q, List.of(msg("other", "o0")));
        assertEquals(List.of("b0"), bodies(shoal.receive(Q, SUB, SHORT_POLL_OF_ONE)));

        assertEquals(List.of("o0"), bodies(shoal.receive(Q, SUB, SHORT_POLL_OF_ONE)),
                "the busy group is in flight; the other group's message is visible now");
        assertEquals(List.of(), shoal.receive(Q, SUB, SHORT_POLL_OF_ONE), "both groups are in flight");
    }

    @Test
    void whenAnEarlierMessagesVisibilityRunsOutItComesBackWhileALaterOnesWasExtended(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder());
        shoal.produce(Q, List.of(msg("g", "m1"), msg("g", "m2"), msg("g", "m3")));
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m1", "m2", "m3"), bodies(got));
        assertTrue(shoal.changeVisibility(Q, SUB, List.of(new VisibilityChange(got.get(1).receipt(), Duration.ofMinutes(2))))
                .getFirst().succeeded());

        clock.advance(Duration.ofSeconds(31)); // m1's and m3's visibility ran out, m2's did not
        List<ReceivedMessage> again = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m1"), bodies(again), "m1 comes back; m3 waits behind m2, which is still in flight");
        assertEquals(2, again.getFirst().receiveCount());

        assertTrue(shoal.ack(Q, SUB, List.of(again.getFirst().receipt(), got.get(1).receipt())).stream().allMatch(ReceiptResult::succeeded),
                "m1's new receipt and m2's extended one both ack");
        List<ReceivedMessage> last = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m3"), bodies(last));
        assertEquals(2, last.getFirst().receiveCount());
    }

    @Test
    void aReceiptOfAnEarlierDeliveryCannotAckAMessageDeliveredAgain(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder());
        shoal.produce(Q, List.of(msg("g", "m1"), msg("g", "m2")));
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        shoal.changeVisibility(Q, SUB, List.of(new VisibilityChange(got.get(1).receipt(), Duration.ofMinutes(2))));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(List.of("m1"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));

        ReceiptResult stale = shoal.ack(Q, SUB, List.of(got.getFirst().receipt())).getFirst();
        assertEquals("ReceiptSuperseded", stale.error().code());
    }

    @Test
    void onAFifoQueueTheQueuesDelayAppliesWhenASendSaysZero(AwsFixture aws) {
        ShoalEngine shoal = fifo(aws, QueueSettings.builder().deliveryDelay(Duration.ofSeconds(10)));
        shoal.produce(Q, List.of(NewMessage.builder().groupId("g").body("x").delay(Duration.ZERO).build()));
        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(1)), "DelaySeconds=0 is no per-message delay on FIFO");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of("x"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(1))));
    }

    @Test
    void aGroupWhoseMessageToDeadLetterIsPastRetentionGoesOnWithoutIt(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("dead.fifo", QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).retention(Duration.ofMinutes(10))
                .defaultSubscription(SubscriptionSettings.builder().deadLetter(new DeadLetterPolicy("dead.fifo", 1)).build()).build());
        shoal.produce(Q, List.of(msg("g", "old")));
        assertEquals(List.of("old"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
        clock.advance(Duration.ofMinutes(5));
        shoal.produce(Q, List.of(msg("g", "new")));
        clock.advance(Duration.ofMinutes(6));
        shoal.maintenance(clock.instant()); // "old" is due for the dead-letter queue, and past retention

        assertEquals(List.of(), shoal.receive(Q, SUB, ReceiveRequest.of(10)), "the expired message leaves its group");
        assertEquals(List.of("new"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
        assertEquals(List.of(), shoal.receive("dead.fifo", SUB, ReceiveRequest.of(10)), "nothing expired was dead-lettered");
    }

    @Test
    void aDeletedDeadLetterQueueDoesNotBlockAGroup(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("dead.fifo", QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true)
                .defaultSubscription(SubscriptionSettings.builder().deadLetter(new DeadLetterPolicy("dead.fifo", 1)).build()).build());
        shoal.produce(Q, List.of(msg("g", "poison"), msg("g", "next")));
        assertEquals(List.of("poison", "next"), bodies(shoal.receive(Q, SUB, ReceiveRequest.of(10))));
        shoal.deleteQueue("dead.fifo");
        clock.advance(Duration.ofSeconds(31));

        List<ReceivedMessage> again = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("poison", "next"), bodies(again), "delivered again instead of waiting for a queue that is gone");
        assertEquals(2, again.getFirst().receiveCount());
    }
}
