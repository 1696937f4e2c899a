package dev.shoal.storage.subscription;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dead-letter queue deleted while queues still name it: their messages keep flowing, as in SQS. */
@ExtendWith(EmbeddedAwsExtension.class)
class DeletedDeadLetterQueueTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final Duration VT = Duration.ofSeconds(30);
    private final ManualClock clock = new ManualClock();

    @Test
    void aStandardQueueDeliversPastMaxReceiveCountWhenItsDeadLetterQueueIsGone(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("gone-dlq", QueueSettings.builder().build());
        shoal.createQueue("source", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                .deadLetter(new DeadLetterPolicy("gone-dlq", 1)).build()).build());
        shoal.produce("source", List.of(NewMessage.builder().body("poison").build()));
        assertEquals(1, shoal.receive("source", SUB, ReceiveRequest.of(10)).size());
        clock.advance(VT);
        shoal.deleteQueue("gone-dlq");

        List<ReceivedMessage> again = receiveWithin(shoal, "source", 3);

        assertEquals(List.of("poison"), again.stream().map(ReceivedMessage::bodyAsString).toList());
        assertEquals(2, again.getFirst().receiveCount());
    }

    @Test
    void aFifoGroupIsNotBlockedForGoodWhenItsDeadLetterQueueIsGone(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("gone.fifo", QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        shoal.createQueue("source.fifo", QueueSettings.builder().fifo(true).contentBasedDeduplication(true)
                .defaultSubscription(SubscriptionSettings.builder().deadLetter(new DeadLetterPolicy("gone.fifo", 1)).build()).build());
        shoal.produce("source.fifo", List.of(NewMessage.builder().groupId("g").body("poison").build(),
                NewMessage.builder().groupId("g").body("next").build()));
        assertEquals("poison", shoal.receive("source.fifo", SUB, ReceiveRequest.of(1)).getFirst().bodyAsString());
        clock.advance(VT);
        shoal.deleteQueue("gone.fifo");

        List<ReceivedMessage> again = receiveWithin(shoal, "source.fifo", 3);

        assertEquals("poison", again.getFirst().bodyAsString(), "the group goes on, in order");
    }

    /** A few receives (each a new claim): the first that returns something. */
    private static List<ReceivedMessage> receiveWithin(ShoalEngine shoal, String queue, int receives) {
        for (int i = 0; i < receives; i++) {
            List<ReceivedMessage> got = shoal.receive(queue, SUB, ReceiveRequest.of(1));
            if (!got.isEmpty()) return got;
        }
        return List.of();
    }
}
